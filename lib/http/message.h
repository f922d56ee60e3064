// HTTP/1.1 messages for warren's own doors: the control socket (Unix domain socket)
// and, later, the management plugin's TCP listener. Sans-IO: parsers take bytes and
// say whether a whole message has arrived. Only what those doors need is supported:
// Content-Length bodies (no chunked encoding), one request per connection.
// Value types; thread-compatible.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "base/status.h"

namespace warren::http {

struct Request {
  std::string method;
  std::string path;   // percent-decoded path, without the query
  std::string raw_path;  // as sent (still percent-encoded), without the query
  std::map<std::string, std::string> query;  // decoded
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct Response {
  int status = 200;
  std::map<std::string, std::string> headers;
  std::string body;
};

enum class ParseState { kNeedMore, kDone };

// Accumulates bytes of one message. BadInput on a malformed message or one over
// `max_bytes` in all.
class Parser {
 public:
  explicit Parser(size_t max_bytes) : max_bytes_(max_bytes) {}
  Result<ParseState> Feed(std::string_view bytes);
  // REQUIRES: Feed returned kDone.
  Result<Request> TakeRequest();
  Result<Response> TakeResponse();

 private:
  Result<ParseState> Check();
  size_t max_bytes_;
  std::string buf_;
  size_t header_end_ = 0;  // offset of the body, once the headers are complete
  size_t content_length_ = 0;
};

std::string SerializeRequest(const Request& r);   // uses r.raw_path (or path) + query
std::string SerializeResponse(const Response& r);
std::string_view ReasonPhrase(int status);

std::string PercentEncode(std::string_view s);  // RFC 3986 unreserved kept
std::string PercentDecode(std::string_view s);  // invalid escapes kept as they are

}  // namespace warren::http
