#include <catch2/catch.hpp>
#include <string>

#include "perf/perf.h"

namespace warren::perf {
namespace {

TEST_CASE("uri: parses user, password, host, port and a percent-encoded vhost", "[perf]") {
  auto uri = ParseUri("amqp://alice:s%40cret@broker.example:5673/%2Fprod");
  REQUIRE(uri.ok());
  CHECK(uri->user == "alice");
  CHECK(uri->password == "s@cret");
  CHECK(uri->host == "broker.example");
  CHECK(uri->port == 5673);
  CHECK(uri->vhost == "/prod");
  CHECK(uri->Endpoint() == "broker.example:5673");
}

TEST_CASE("uri: the default URI names the default vhost on 127.0.0.1:5672", "[perf]") {
  auto uri = ParseUri(kDefaultUri);
  REQUIRE(uri.ok());
  CHECK(uri->user == "guest");
  CHECK(uri->password == "guest");
  CHECK(uri->host == "127.0.0.1");
  CHECK(uri->port == 5672);
  CHECK(uri->vhost == "/");
}

TEST_CASE("uri: missing parts take the AMQP URI spec's defaults", "[perf]") {
  SECTION("no path is the default vhost") {
    auto uri = ParseUri("amqp://h");
    REQUIRE(uri.ok());
    CHECK(uri->vhost == "/");
    CHECK(uri->port == 5672);
    CHECK(uri->user == "guest");
  }
  SECTION("an empty path is the empty vhost") {
    auto uri = ParseUri("amqp://h/");
    REQUIRE(uri.ok());
    CHECK(uri->vhost.empty());
  }
  SECTION("no host is localhost") {
    auto uri = ParseUri("amqp://");
    REQUIRE(uri.ok());
    CHECK(uri->host == "localhost");
  }
  SECTION("a user without a password has an empty password") {
    auto uri = ParseUri("amqp://bob@h/v");
    REQUIRE(uri.ok());
    CHECK(uri->user == "bob");
    CHECK(uri->password.empty());
    CHECK(uri->vhost == "v");
  }
}

TEST_CASE("uri: IPv6 literals go in brackets", "[perf]") {
  auto uri = ParseUri("amqp://u:p@[::1]:15672/%2F");
  REQUIRE(uri.ok());
  CHECK(uri->host == "::1");
  CHECK(uri->port == 15672);
  CHECK(uri->Endpoint() == "[::1]:15672");
  auto no_port = ParseUri("amqp://[fe80::1]");
  REQUIRE(no_port.ok());
  CHECK(no_port->host == "fe80::1");
  CHECK(no_port->port == 5672);
}

TEST_CASE("uri: bad URIs are refused with the reason", "[perf]") {
  struct Case {
    const char* uri;
    const char* reason;
  };
  const Case cases[] = {
      {"http://h/", "must start with amqp://"},
      {"amqps://h/", "amqps (TLS) is not supported"},
      {"h:5672", "must start with amqp://"},
      {"amqp://h:0/", "is not a number in 1..65535"},
      {"amqp://h:65536/", "is not a number in 1..65535"},
      {"amqp://h:56x/", "is not a number in 1..65535"},
      {"amqp://h:/", "empty port"},
      {"amqp://[::1/", "unterminated IPv6 address"},
      {"amqp://[]/", "empty IPv6 address"},
      {"amqp://[::1]x/", "junk after the IPv6 address"},
      {"amqp://::1/", "IPv6 addresses must be in brackets"},
      {"amqp://h/a/b", "write '/' inside it as %2F"},
      {"amqp://h/%zz", "bad percent-escape in the vhost"},
      {"amqp://u:%4@h/", "bad percent-escape in the password"},
      {"amqp://u:secret@h:99999/", "is not a number in 1..65535"},
      {"amqp://h/?heartbeat=10", "query parameters"},
  };
  for (const Case& c : cases) {
    INFO(c.uri);
    auto uri = ParseUri(c.uri);
    REQUIRE_FALSE(uri.ok());
    CHECK(uri.status().kind() == ErrorKind::kBadInput);
    CHECK_THAT(uri.status().message(), Catch::Contains(c.reason));
    CHECK_THAT(uri.status().message(), Catch::StartsWith("invalid URI \""));
  }
}

TEST_CASE("uri: errors do not show the password", "[perf]") {
  auto uri = ParseUri("amqp://u:secret@h:99999/");
  REQUIRE_FALSE(uri.ok());
  CHECK_THAT(uri.status().message(), Catch::Contains("amqp://u:****@h:99999/"));
  CHECK_THAT(uri.status().message(), !Catch::Contains("secret"));
}

}  // namespace
}  // namespace warren::perf
