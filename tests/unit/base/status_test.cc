#include "base/status.h"

#include <catch2/catch.hpp>

namespace warren {

TEST_CASE("status: every kind has a token that maps back to it", "[base]") {
  for (ErrorKind k : {ErrorKind::kNotFound, ErrorKind::kAlreadyExists, ErrorKind::kPrecondition,
                      ErrorKind::kUnavailable, ErrorKind::kAccessRefused, ErrorKind::kBadInput,
                      ErrorKind::kInternal, ErrorKind::kTimeout}) {
    auto back = ErrorKindFromToken(ErrorKindToken(k));
    REQUIRE(back.has_value());
    CHECK(*back == k);
  }
  CHECK_FALSE(ErrorKindFromToken("bogus").has_value());
}

Result<int> Half(int x) {
  if (x % 2) return Status::BadInput("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  WARREN_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST_CASE("status: WARREN_ASSIGN_OR_RETURN passes values and errors through", "[base]") {
  CHECK(*Quarter(8) == 2);
  auto r = Quarter(6);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kBadInput);
  CHECK(r.status().message() == "odd");
}

}  // namespace warren
