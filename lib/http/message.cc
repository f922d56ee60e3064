#include "http/message.h"

#include <cctype>
#include <charconv>

namespace warren::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits the head into the start line and lower-cased headers.
Status ParseHead(std::string_view head, std::string* start,
                 std::map<std::string, std::string>* headers) {
  size_t eol = head.find("\r\n");
  *start = std::string(head.substr(0, eol));
  while (eol != std::string_view::npos && eol + 2 < head.size()) {
    size_t next = head.find("\r\n", eol + 2);
    std::string_view line = head.substr(eol + 2, next == std::string_view::npos
                                                     ? std::string_view::npos
                                                     : next - eol - 2);
    if (!line.empty()) {
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0)
        return Status::BadInput("malformed HTTP header line");
      (*headers)[Lower(Trim(line.substr(0, colon)))] = std::string(Trim(line.substr(colon + 1)));
    }
    eol = next;
  }
  return Status::OK();
}

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<ParseState> Parser::Feed(std::string_view bytes) {
  buf_.append(bytes);
  if (buf_.size() > max_bytes_) return Status::BadInput("HTTP message too large");
  return Check();
}

Result<ParseState> Parser::Check() {
  if (header_end_ == 0) {
    size_t end = buf_.find("\r\n\r\n");
    if (end == std::string::npos) return ParseState::kNeedMore;
    header_end_ = end + 4;
    std::string start;
    std::map<std::string, std::string> headers;
    WARREN_TRY(ParseHead(std::string_view(buf_).substr(0, end + 2), &start, &headers));
    if (auto it = headers.find("transfer-encoding"); it != headers.end())
      return Status::BadInput("chunked transfer encoding is not supported here");
    if (auto it = headers.find("content-length"); it != headers.end()) {
      const std::string& v = it->second;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), content_length_);
      if (ec != std::errc() || p != v.data() + v.size())
        return Status::BadInput("malformed Content-Length");
      if (content_length_ > max_bytes_) return Status::BadInput("HTTP message too large");
    }
  }
  if (buf_.size() - header_end_ < content_length_) return ParseState::kNeedMore;
  return ParseState::kDone;
}

Result<Request> Parser::TakeRequest() {
  Request r;
  std::string start;
  WARREN_TRY(ParseHead(std::string_view(buf_).substr(0, header_end_ - 2), &start, &r.headers));
  size_t sp1 = start.find(' ');
  size_t sp2 = start.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1 || start.compare(sp2 + 1, 5, "HTTP/") != 0)
    return Status::BadInput("malformed HTTP request line");
  r.method = start.substr(0, sp1);
  std::string target = start.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = target.find('?');
  r.raw_path = target.substr(0, q);
  r.path = PercentDecode(r.raw_path);
  if (q != std::string::npos) {
    std::string_view qs = std::string_view(target).substr(q + 1);
    while (!qs.empty()) {
      size_t amp = qs.find('&');
      std::string_view kv = qs.substr(0, amp);
      size_t eq = kv.find('=');
      std::string k = PercentDecode(kv.substr(0, eq));
      std::string v = eq == std::string_view::npos ? "" : PercentDecode(kv.substr(eq + 1));
      if (!k.empty()) r.query[k] = v;
      if (amp == std::string_view::npos) break;
      qs.remove_prefix(amp + 1);
    }
  }
  r.body = buf_.substr(header_end_, content_length_);
  return r;
}

Result<Response> Parser::TakeResponse() {
  Response r;
  std::string start;
  WARREN_TRY(ParseHead(std::string_view(buf_).substr(0, header_end_ - 2), &start, &r.headers));
  if (start.size() < 12 || start.compare(0, 5, "HTTP/") != 0)
    return Status::BadInput("malformed HTTP status line");
  size_t sp = start.find(' ');
  int code = 0;
  auto [p, ec] = std::from_chars(start.data() + sp + 1, start.data() + start.size(), code);
  if (ec != std::errc()) return Status::BadInput("malformed HTTP status line");
  r.status = code;
  r.body = buf_.substr(header_end_, content_length_);
  return r;
}

std::string SerializeRequest(const Request& r) {
  std::string target = r.raw_path.empty() ? PercentEncode(r.path) : r.raw_path;
  char sep = '?';
  for (const auto& [k, v] : r.query) {
    target += sep;
    target += PercentEncode(k) + "=" + PercentEncode(v);
    sep = '&';
  }
  std::string out = r.method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
  out += "content-length: " + std::to_string(r.body.size()) + "\r\n\r\n";
  out += r.body;
  return out;
}

std::string SerializeResponse(const Response& r) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " ";
  out += ReasonPhrase(r.status);
  out += "\r\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
  out += "content-length: " + std::to_string(r.body.size()) + "\r\n\r\n";
  out += r.body;
  return out;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexVal(s[i + 1]), lo = HexVal(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += char(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

}  // namespace warren::http
