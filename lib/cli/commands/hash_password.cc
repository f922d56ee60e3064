#include <cstdio>
#include <string>

#include "base/bytes.h"
#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/password_input.h"

namespace warren::cli::commands {
namespace {

// rabbit_password_hashing_sha256, as the node stores passwords (auth/password.h):
// base64(salt ++ SHA-256(salt ++ password)) with a random 4-byte salt. Computed here so
// the command needs no node and the CLI links nothing beyond the control client.
std::string SaltedSha256(const std::string& password) {
  const std::string salt = RandomBytes(4);
  const Sha256Digest digest = Sha256(salt + password);
  std::string raw = salt;
  raw.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return Base64Encode(raw);
}

}  // namespace

CommandSpec HashPassword() {
  CommandSpec c;
  c.name = "hash_password";
  c.section = "Users";
  c.description = "Hashes a plaintext password";
  c.usage = "<cleartext_password>";
  c.arg_docs = {{"<cleartext_password>", "password to hash"}};
  c.max_args = 1;
  c.needs_node = false;
  c.errors = {{"bad_input:password", {70, false}}};
  c.validate = [](const Invocation& inv) -> warren::Status {
    if (inv.args.size() == 1 && inv.args[0].empty())
      return warren::Status::BadInput("password cannot be an empty string");
    return warren::Status::OK();
  };
  c.banner = [](const Invocation& inv) {
    return inv.args.empty() ? std::string("Will hash provided password")
                            : "Will hash password " + inv.args[0];
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(std::string password, PasswordArgOrStdin(inv, 0));
    return json(SaltedSha256(password));
  };
  c.output = [](Invocation&, const json& hash) {
    std::printf("%s\n", hash.get<std::string>().c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
