#include "auth/permissions.h"

#include <regex>

namespace warren::auth {
namespace {

// What is wrong, in words that do not depend on the standard library's version.
std::string Reason(const std::regex_error& e) {
  switch (e.code()) {
    case std::regex_constants::error_collate: return "invalid collating element name";
    case std::regex_constants::error_ctype: return "invalid character class name";
    case std::regex_constants::error_escape: return "invalid escape sequence";
    case std::regex_constants::error_backref: return "invalid back reference";
    case std::regex_constants::error_brack: return "missing terminating ] for character class";
    case std::regex_constants::error_paren: return "mismatched parentheses";
    case std::regex_constants::error_brace: return "mismatched braces";
    case std::regex_constants::error_badbrace: return "invalid repetition count in {}";
    case std::regex_constants::error_range: return "invalid character range";
    case std::regex_constants::error_badrepeat: return "nothing to repeat";
    case std::regex_constants::error_space:
    case std::regex_constants::error_complexity:
    case std::regex_constants::error_stack: return "regular expression is too complex";
    default: return e.what();
  }
}

}  // namespace

struct PermissionPattern::Compiled {
  std::regex re;
};

Result<PermissionPattern> PermissionPattern::Compile(std::string_view text) {
  std::string owned(text);
  if (owned.empty()) return PermissionPattern(std::move(owned), nullptr);
  try {
    auto compiled = std::make_shared<Compiled>(
        Compiled{std::regex(owned, std::regex::ECMAScript | std::regex::optimize)});
    return PermissionPattern(std::move(owned), std::move(compiled));
  } catch (const std::regex_error& e) {
    return Status::BadInput("regular expression '" + owned + "' is invalid: " + Reason(e),
                            "regexp");
  }
}

bool PermissionPattern::Matches(std::string_view name) const {
  if (!compiled_) return false;
  return std::regex_search(name.begin(), name.end(), compiled_->re);
}

Status ValidatePermissionPattern(std::string_view text) {
  Result<PermissionPattern> p = PermissionPattern::Compile(text);
  return p.ok() ? Status::OK() : p.status();
}

std::string ExpandTopicVariables(std::string pattern, std::string_view user,
                                 std::string_view vhost, std::string_view client_id) {
  const std::pair<std::string_view, std::string_view> vars[] = {
      {"{username}", user}, {"{vhost}", vhost}, {"{client_id}", client_id}};
  for (const auto& [var, value] : vars) {
    for (size_t at = 0; (at = pattern.find(var, at)) != std::string::npos; at += value.size())
      pattern.replace(at, var.size(), value);
  }
  return pattern;
}

Status ValidateTopicPattern(std::string_view text) {
  return ValidatePermissionPattern(ExpandTopicVariables(std::string(text), "u", "v", "c"));
}

}  // namespace warren::auth
