#include "cli/commands/node_wait.h"

#include <signal.h>
#include <time.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <chrono>
#include <fstream>
#include <string>

namespace warren::cli {

// A process that has exited but is not yet reaped (a zombie) has stopped too: a
// detached node's parent is init, which may reap it only much later.
bool ProcessAlive(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

void SleepMs(int ms) {
  timespec ts{ms / 1000, long(ms % 1000) * 1000000L};
  while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

bool WaitForExit(pid_t pid, int timeout_ms) {
  auto start = std::chrono::steady_clock::now();
  while (ProcessAlive(pid)) {
    if (timeout_ms >= 0 && std::chrono::steady_clock::now() - start >
                               std::chrono::milliseconds(timeout_ms))
      return false;
    SleepMs(5);
  }
  return true;
}

PidFile ReadPidFile(const std::string& path) {
  PidFile out;
  std::ifstream in(path);
  if (!in) {
    const int err = errno;
    out.state = err == ENOENT ? PidFile::kMissing : PidFile::kError;
    out.detail = err == ENOENT ? "enoent" : std::strerror(err);
    return out;
  }
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t i = contents.find_first_not_of(" \t\r\n");
  long long pid = 0;
  size_t digits = 0;
  while (i != std::string::npos && i < contents.size() && std::isdigit(static_cast<unsigned char>(contents[i])) &&
         pid < (1LL << 31)) {
    pid = pid * 10 + (contents[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0 || pid <= 0 || pid >= (1LL << 31)) {
    out.state = PidFile::kGarbage;
    out.detail = contents;
    return out;
  }
  out.state = PidFile::kOk;
  out.pid = pid_t(pid);
  return out;
}

}  // namespace warren::cli
