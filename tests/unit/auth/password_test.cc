#include "auth/password.h"

#include <catch2/catch.hpp>

namespace warren::auth {

TEST_CASE("password: hashes made by RabbitMQ 3.10.8 verify", "[auth]") {
  // guest/guest as exported by RabbitMQ (shared/reference/.../definitions.txt).
  CHECK(CheckPassword("rabbit_password_hashing_sha256",
                      "9BdNQIrjdbSBqHbpLdIq4yXt/m+/J63FC15iE1gLmbutDXzh", "guest"));
  CHECK_FALSE(CheckPassword("rabbit_password_hashing_sha256",
                            "9BdNQIrjdbSBqHbpLdIq4yXt/m+/J63FC15iE1gLmbutDXzh", "Guest"));
}

TEST_CASE("password: a new hash verifies, is salted, and has RabbitMQ's shape", "[auth]") {
  std::string a = HashPassword("s3cret");
  std::string b = HashPassword("s3cret");
  CHECK(a != b);
  CHECK(a.size() == 48);  // base64 of 4 + 32 bytes
  CHECK(CheckPassword(kSha256Algorithm, a, "s3cret"));
  CHECK_FALSE(CheckPassword(kSha256Algorithm, a, "s3cret "));
}

TEST_CASE("password: empty, malformed and unknown-algorithm hashes never match", "[auth]") {
  CHECK_FALSE(CheckPassword(kSha256Algorithm, "", ""));
  CHECK_FALSE(CheckPassword(kSha256Algorithm, "not base64!", "x"));
  CHECK_FALSE(CheckPassword("rabbit_password_hashing_md5", HashPassword("x"), "x"));
}

TEST_CASE("password: login refusals use the internal backend's words", "[auth]") {
  CHECK(InvalidCredentials("alice") == "user 'alice' - invalid credentials");
  const std::string blank = BlankPasswordRefused("bob");
  CHECK(blank.rfind("user 'bob' attempted to log in with a blank password, which is prohibited "
                    "by the internal authN backend.", 0) == 0);
  CHECK(blank.ends_with("Alternatively change the password for the user to be non-blank."));
}

}  // namespace warren::auth
