#include "auth/password.h"

#include "base/bytes.h"

namespace warren::auth {

std::string HashPasswordWithSalt(std::string_view password, std::string_view salt) {
  std::string salted(salt);
  salted.append(password);
  Sha256Digest d = Sha256(salted);
  std::string raw(salt);
  raw.append(reinterpret_cast<const char*>(d.data()), d.size());
  return Base64Encode(raw);
}

std::string HashPassword(std::string_view password) {
  return HashPasswordWithSalt(password, RandomBytes(4));
}

bool SupportedAlgorithm(std::string_view algorithm) {
  return algorithm == kSha256Algorithm || algorithm.empty();
}

bool CheckPassword(std::string_view algorithm, std::string_view hash, std::string_view password) {
  if (hash.empty() || !SupportedAlgorithm(algorithm)) return false;
  auto raw = Base64Decode(hash);
  if (!raw || raw->size() != 4 + 32) return false;
  std::string expected = HashPasswordWithSalt(password, std::string_view(*raw).substr(0, 4));
  // Constant-time comparison: the hash is a secret-derived value.
  unsigned diff = expected.size() ^ hash.size();
  for (size_t i = 0; i < expected.size() && i < hash.size(); ++i)
    diff |= unsigned(expected[i] ^ hash[i]);
  return diff == 0;
}

std::string InvalidCredentials(std::string_view user) {
  return "user '" + std::string(user) + "' - invalid credentials";
}

std::string BlankPasswordRefused(std::string_view user) {
  return "user '" + std::string(user) +
         "' attempted to log in with a blank password, which is prohibited by the internal "
         "authN backend. To use TLS/x509 certificate-based authentication, see the "
         "rabbitmq_auth_mechanism_ssl plugin and configure the client to use the EXTERNAL "
         "authentication mechanism. Alternatively change the password for the user to be "
         "non-blank.";
}

}  // namespace warren::auth
