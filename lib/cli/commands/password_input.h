// Reading a password from standard input when it is not given as an argument, as
// rabbitmqctl does for change_password, authenticate_user and hash_password: the
// prompt "Password: " (unless -q / -s), then one line, trimmed. Internal to lib/cli.
#pragma once

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "cli/command.h"

namespace warren::cli {

inline constexpr const char* kNoPasswordGiven = "Password is not provided via argument or stdin";

// The password typed or piped in; nullopt on end of input or an empty line.
inline std::optional<std::string> ReadPasswordLine(const Invocation& inv) {
  if (!inv.quiet && !inv.silent) {
    std::fputs("Password: \n", stdout);
    std::fflush(stdout);
  }
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  const char* kBlanks = " \t\r\n\v\f";
  line.erase(0, line.find_first_not_of(kBlanks));
  line.erase(line.find_last_not_of(kBlanks) + 1);
  if (line.empty()) return std::nullopt;
  return line;
}

// args[index] when given, else the password read from standard input; BadInput with
// subject "password" (kNoPasswordGiven) when neither supplies one.
inline Result<std::string> PasswordArgOrStdin(const Invocation& inv, size_t index) {
  if (inv.args.size() > index) return inv.args[index];
  auto typed = ReadPasswordLine(inv);
  if (!typed) return Status::BadInput(kNoPasswordGiven, "password");
  return *typed;
}

}  // namespace warren::cli
