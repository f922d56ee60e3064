#include "http/message.h"

#include <catch2/catch.hpp>

namespace warren::http {

TEST_CASE("message: a request split across reads parses once whole", "[http]") {
  Parser p(1 << 20);
  std::string raw = "PUT /api/vhosts/%2F/x?force=true&a=b%20c HTTP/1.1\r\nHost: x\r\n"
                    "Content-Length: 5\r\n\r\nhello";
  for (size_t i = 0; i + 1 < raw.size(); ++i) {
    auto s = p.Feed(raw.substr(i, 1));
    REQUIRE(s.ok());
    REQUIRE(*s == ParseState::kNeedMore);
  }
  auto s = p.Feed(raw.substr(raw.size() - 1));
  REQUIRE(*s == ParseState::kDone);
  auto r = p.TakeRequest();
  REQUIRE(r.ok());
  CHECK(r->method == "PUT");
  CHECK(r->raw_path == "/api/vhosts/%2F/x");
  CHECK(r->path == "/api/vhosts///x");
  CHECK(r->query.at("force") == "true");
  CHECK(r->query.at("a") == "b c");
  CHECK(r->headers.at("host") == "x");
  CHECK(r->body == "hello");
}

TEST_CASE("message: malformed or oversized messages are refused", "[http]") {
  {
    Parser p(64);
    CHECK_FALSE(p.Feed(std::string(100, 'x')).ok());
  }
  {
    Parser p(1 << 20);
    CHECK_FALSE(p.Feed("GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n").ok());
  }
  {
    Parser p(1 << 20);
    CHECK_FALSE(p.Feed("GET / HTTP/1.1\r\nno colon here\r\n\r\n").ok());
  }
  {
    Parser p(1 << 20);
    REQUIRE(*p.Feed("garbage\r\n\r\n") == ParseState::kDone);
    CHECK_FALSE(p.TakeRequest().ok());
  }
}

TEST_CASE("message: a serialized response parses back", "[http]") {
  Response r;
  r.status = 404;
  r.body = R"({"error":"not_found"})";
  Parser p(1 << 20);
  REQUIRE(*p.Feed(SerializeResponse(r)) == ParseState::kDone);
  auto back = p.TakeResponse();
  REQUIRE(back.ok());
  CHECK(back->status == 404);
  CHECK(back->body == r.body);
  CHECK(PercentDecode(PercentEncode("a/b c%")) == "a/b c%");
}

}  // namespace warren::http
