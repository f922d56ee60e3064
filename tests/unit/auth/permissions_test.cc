#include "auth/permissions.h"

#include <catch2/catch.hpp>

namespace warren::auth {

TEST_CASE("permissions: patterns search the name, unanchored unless anchored", "[auth]") {
  auto all = PermissionPattern::Compile(".*");
  REQUIRE(all.ok());
  CHECK(all->Matches("anything"));
  CHECK(all->Matches(""));

  auto prefix = PermissionPattern::Compile("^admin-.*");
  REQUIRE(prefix.ok());
  CHECK(prefix->Matches("admin-q1"));
  CHECK_FALSE(prefix->Matches("q1-admin-"));

  auto inner = PermissionPattern::Compile("gen");
  REQUIRE(inner.ok());
  CHECK(inner->Matches("amq.gen-abc"));
  CHECK_FALSE(inner->Matches("amq.direct"));

  auto exact = PermissionPattern::Compile("^(orders|invoices)$");
  REQUIRE(exact.ok());
  CHECK(exact->Matches("orders"));
  CHECK_FALSE(exact->Matches("orders2"));
  CHECK(exact->text() == "^(orders|invoices)$");
}

TEST_CASE("permissions: the empty pattern is valid and grants nothing", "[auth]") {
  auto none = PermissionPattern::Compile("");
  REQUIRE(none.ok());
  CHECK_FALSE(none->Matches(""));
  CHECK_FALSE(none->Matches("q"));
  CHECK(ValidatePermissionPattern("").ok());
}

TEST_CASE("permissions: invalid patterns are BadInput naming the pattern and the fault",
          "[auth]") {
  struct Case {
    const char* pattern;
    const char* message;
  };
  for (Case c : {Case{"(", "regular expression '(' is invalid: mismatched parentheses"},
                 Case{"[", "regular expression '[' is invalid: missing terminating ] for "
                           "character class"},
                 Case{"a{2", "regular expression 'a{2' is invalid: mismatched braces"},
                 Case{"[z-a]", "regular expression '[z-a]' is invalid: invalid character range"},
                 Case{"\\", "regular expression '\\' is invalid: invalid escape sequence"}}) {
    INFO(c.pattern);
    Status s = ValidatePermissionPattern(c.pattern);
    REQUIRE_FALSE(s.ok());
    CHECK(s.kind() == ErrorKind::kBadInput);
    CHECK(s.subject() == "regexp");
    CHECK(s.message() == c.message);
    CHECK_FALSE(PermissionPattern::Compile(c.pattern).ok());
  }
}

TEST_CASE("permissions: the patterns RabbitMQ sets by default are valid", "[auth]") {
  for (const char* p : {".*", "^$", "^amq\\.gen.*", "^a", "^b", "\\d+", "amq\\.topic"}) {
    INFO(p);
    CHECK(ValidatePermissionPattern(p).ok());
  }
}

}  // namespace warren::auth
