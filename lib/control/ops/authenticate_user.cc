#include "auth/password.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {

// Body: {"password": "..."}. Checks the password as a client login would; answers the
// user's name and tags, or AccessRefused with the internal backend's reason. An unknown
// user is refused with the same words as a wrong password.
Result<json> AuthenticateUser(OpContext& ctx, const OpRequest& req) {
  const std::string name = req.param("name");
  WARREN_ASSIGN_OR_RETURN(std::string password, BodyString(req, "password"));
  if (password.empty()) return Status::AccessRefused(auth::BlankPasswordRefused(name), "login");
  const meta::User* user = State(ctx).FindUser(name);
  if (user == nullptr ||
      !auth::CheckPassword(user->hashing_algorithm, user->password_hash, password)) {
    return Status::AccessRefused(auth::InvalidCredentials(name), "login");
  }
  return json{{"user", name}, {"tags", user->tags}};
}

}  // namespace warren::control::ops
