// Shared by the user and permission commands. Internal to lib/cli.
//
// rabbitmqctl's wording for a missing user or vhost, which differs between command
// families: the permission commands say "User x does not exist" / "Virtual host x does
// not exist" (no quotes), the user listings print the Erlang term {:no_such_user, "x"}.
// The node reports these failures as NotFound with subject "user" / "vhost"; commands
// reword them here by kind and subject, never by parsing the node's text, and pick the
// exit code through CommandSpec::errors.
//
// rabbitmqctl's permission listings print an empty line, and no header, when there is
// nothing to list.
#pragma once

#include <cstdio>
#include <string>

#include "base/status.h"
#include "cli/command.h"
#include "cli/output.h"

namespace warren::cli {

inline bool IsNotFound(const Status& s, const char* subject) {
  return !s.ok() && s.kind() == ErrorKind::kNotFound && s.subject() == subject;
}

// set/clear_permissions, set/clear_topic_permissions.
inline Status PermissionTargetError(const Status& s, const std::string& user,
                                    const std::string& vhost) {
  if (IsNotFound(s, "user")) return Status::NotFound("User " + user + " does not exist", "user");
  if (IsNotFound(s, "vhost"))
    return Status::NotFound("Virtual host " + vhost + " does not exist", "vhost");
  return s;
}

// list_user_permissions, list_user_topic_permissions, list_user_limits.
inline Status NoSuchUserTerm(const Status& s, const std::string& user) {
  if (IsNotFound(s, "user")) return Status::NotFound("{:no_such_user, \"" + user + "\"}", "user");
  return s;
}

// Output for the permission listings: the empty line for an empty table, otherwise the
// rows as usual (json prints "[]").
inline int PrintRowsOrEmptyLine(Invocation& inv, const json& rows) {
  if (rows.is_array() && rows.empty() && inv.formatter == "table") {
    std::fputs("\n", stdout);
    return 0;
  }
  return PrintRows(inv, rows);
}

}  // namespace warren::cli
