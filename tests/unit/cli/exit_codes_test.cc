#include "cli/exit_codes.h"

#include <catch2/catch.hpp>

#include "control/protocol.h"

namespace warren::cli {

TEST_CASE("exit_codes: each kind maps to rabbitmqctl's sysexits code", "[cli]") {
  struct Row {
    ErrorKind kind;
    bool user;
    int exit;
    int http;
  };
  const Row rows[] = {
      {ErrorKind::kNotFound, true, 67, 404},      {ErrorKind::kNotFound, false, 69, 404},
      {ErrorKind::kAlreadyExists, false, 70, 400}, {ErrorKind::kPrecondition, false, 64, 400},
      {ErrorKind::kUnavailable, false, 69, 503},  {ErrorKind::kAccessRefused, false, 65, 401},
      {ErrorKind::kBadInput, false, 69, 400},     {ErrorKind::kInternal, false, 70, 500},
      {ErrorKind::kTimeout, false, 75, 504},
  };
  for (const auto& r : rows) {
    INFO(ErrorKindToken(r.kind));
    CHECK(ExitCodeFor(r.kind, r.user) == r.exit);
    CHECK(control::HttpStatusFor(r.kind) == r.http);
  }
}

TEST_CASE("exit_codes: an error body carries the kind and subject across the socket", "[cli]") {
  Status s = Status::NotFound("User \"x\" does not exist", "user");
  auto body = control::ErrorBody(s);
  CHECK(body["error"] == "not_found");
  Status back = control::StatusFromErrorBody(404, body);
  CHECK(back.kind() == ErrorKind::kNotFound);
  CHECK(back.subject() == "user");
  CHECK(back.message() == s.message());
  CHECK(control::StatusFromErrorBody(500, "junk").kind() == ErrorKind::kInternal);
}

}  // namespace warren::cli
