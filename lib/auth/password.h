// Password hashing as RabbitMQ does it by default (rabbit_password_hashing_sha256):
// base64(salt ++ SHA-256(salt ++ password)) with a random 4-byte salt, so definitions
// move between RabbitMQ and warren in both directions. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace warren::auth {

inline constexpr std::string_view kSha256Algorithm = "rabbit_password_hashing_sha256";

// A new salted hash of `password`.
std::string HashPassword(std::string_view password);
// The hash of `password` with a given 4-byte salt (for tests and known vectors).
std::string HashPasswordWithSalt(std::string_view password, std::string_view salt);
// Whether `password` matches `hash` under `algorithm`. An empty hash never matches.
// Unavailable-free: an unsupported algorithm or a malformed hash simply does not match.
bool CheckPassword(std::string_view algorithm, std::string_view hash, std::string_view password);
// Whether warren can check hashes made with `algorithm`.
bool SupportedAlgorithm(std::string_view algorithm);

// Why a password login is refused, in the words of RabbitMQ's internal backend.
// "user 'x' - invalid credentials": unknown user, wrong or cleared password.
std::string InvalidCredentials(std::string_view user);
// An empty password never logs in, whatever the user's stored hash.
std::string BlankPasswordRefused(std::string_view user);

}  // namespace warren::auth
