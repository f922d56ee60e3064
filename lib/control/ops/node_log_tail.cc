#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "control/ops/ops.h"

namespace warren::control::ops {

// {"lines": [...]}: the last `lines` lines of the node's log file (query "lines",
// default 50). Reads backwards from the end in blocks, so a large log costs only what
// is returned.
Result<json> NodeLogTail(OpContext& ctx, const OpRequest& req) {
  long long wanted = 50;
  const std::string text = req.param("lines", "50");
  try {
    size_t used = 0;
    wanted = std::stoll(text, &used);
    if (used != text.size() || wanted < 0) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    return Status::BadInput("the number of lines must be a non-negative integer, got '" + text + "'");
  }
  const std::string& path = ctx.node.env().log_file;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unavailable("cannot read the log file " + path);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  std::string tail;
  std::streamoff pos = size;
  constexpr std::streamoff kBlock = 64 * 1024;
  auto newlines = [&] { return std::count(tail.begin(), tail.end(), '\n'); };
  // One more newline than lines wanted: the file's last line ends in one.
  while (pos > 0 && newlines() <= wanted) {
    const std::streamoff n = std::min(kBlock, pos);
    pos -= n;
    std::string block(size_t(n), '\0');
    in.seekg(pos);
    in.read(block.data(), n);
    tail.insert(0, block);
  }
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < tail.size()) {
    size_t nl = tail.find('\n', start);
    if (nl == std::string::npos) nl = tail.size();
    lines.push_back(tail.substr(start, nl - start));
    start = nl + 1;
  }
  // A partial first line (cut by the block boundary) is dropped unless it began the file.
  if (pos > 0 && !lines.empty()) lines.erase(lines.begin());
  if (lines.size() > size_t(wanted)) lines.erase(lines.begin(), lines.end() - wanted);
  return json{{"lines", lines}};
}

}  // namespace warren::control::ops
