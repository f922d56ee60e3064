// AMQP URI parsing after https://www.rabbitmq.com/uri-spec.html:
// amqp://[user[:password]@]host[:port][/vhost], every part percent-encoded.
#include <charconv>
#include <string>

#include "perf/perf.h"

namespace warren::perf {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Errors quote the URI with its password masked: they end up in terminals and logs.
Status Bad(std::string_view text, std::string_view why) {
  std::string shown(text);
  const size_t authority = shown.find("://");
  const size_t at = shown.find('@', authority == std::string::npos ? 0 : authority);
  const size_t colon = authority == std::string::npos ? std::string::npos
                                                      : shown.find(':', authority + 3);
  if (at != std::string::npos && colon < at) shown.replace(colon + 1, at - colon - 1, "****");
  return Status::BadInput("invalid URI \"" + shown + "\": " + std::string(why));
}

Result<std::string> PercentDecode(std::string_view uri, std::string_view text,
                                  std::string_view part) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return Bad(uri, "bad percent-escape in the " + std::string(part));
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

std::string Uri::Endpoint() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Uri> ParseUri(std::string_view text) {
  constexpr std::string_view kScheme = "amqp://";
  if (text.substr(0, 8) == "amqps://") return Bad(text, "amqps (TLS) is not supported");
  if (text.substr(0, kScheme.size()) != kScheme) return Bad(text, "it must start with amqp://");
  std::string_view rest = text.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return Bad(text, "query parameters and fragments are not supported");
  }
  Uri uri;
  // The authority ends at the first '/'; the rest is the vhost.
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    const std::string_view path = rest.substr(slash + 1);
    if (path.find('/') != std::string_view::npos) {
      return Bad(text, "the vhost must be one path segment; write '/' inside it as %2F");
    }
    WARREN_ASSIGN_OR_RETURN(uri.vhost, PercentDecode(text, path, "vhost"));
  }
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const size_t colon = userinfo.find(':');
    WARREN_ASSIGN_OR_RETURN(uri.user, PercentDecode(text, userinfo.substr(0, colon), "user"));
    uri.password.clear();
    if (colon != std::string_view::npos) {
      WARREN_ASSIGN_OR_RETURN(uri.password,
                              PercentDecode(text, userinfo.substr(colon + 1), "password"));
    }
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad(text, "unterminated IPv6 address");
    if (close == 1) return Bad(text, "empty IPv6 address");
    uri.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return Bad(text, "junk after the IPv6 address");
    if (!after.empty()) port = after.substr(1);
    if (after == ":") return Bad(text, "empty port");
  } else {
    const size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return Bad(text, "empty port");
      if (port.find(':') != std::string_view::npos) {
        return Bad(text, "IPv6 addresses must be in brackets, as in [::1]");
      }
    }
    WARREN_ASSIGN_OR_RETURN(std::string host,
                            PercentDecode(text, authority.substr(0, colon), "host"));
    if (!host.empty()) uri.host = std::move(host);
  }
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return Bad(text, "port \"" + std::string(port) + "\" is not a number in 1..65535");
    }
    uri.port = static_cast<uint16_t>(value);
  }
  return uri;
}

}  // namespace warren::perf
