#include "policy/internal/pattern.h"

namespace warren::policy::internal {
namespace {

// PCRE's wording where it has one, so messages read like RabbitMQ's.
std::string Reason(const std::regex_error& e) {
  switch (e.code()) {
    case std::regex_constants::error_collate: return "invalid collating element name";
    case std::regex_constants::error_ctype: return "unknown POSIX class name";
    case std::regex_constants::error_escape: return "invalid escape sequence";
    case std::regex_constants::error_backref: return "reference to non-existent subpattern";
    case std::regex_constants::error_brack: return "missing terminating ] for character class";
    case std::regex_constants::error_paren: return "missing )";
    case std::regex_constants::error_brace: return "missing }";
    case std::regex_constants::error_badbrace: return "invalid repetition count in {}";
    case std::regex_constants::error_range: return "range out of order in character class";
    case std::regex_constants::error_badrepeat: return "nothing to repeat";
    case std::regex_constants::error_space:
    case std::regex_constants::error_complexity:
    case std::regex_constants::error_stack: return "regular expression is too large";
    default: return e.what();
  }
}

}  // namespace

Result<std::shared_ptr<const std::regex>> CompilePattern(const std::string& text) {
  try {
    return std::make_shared<const std::regex>(text, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    return Status::BadInput(Reason(e));
  }
}

bool Search(const std::regex& re, std::string_view name) {
  try {
    return std::regex_search(name.begin(), name.end(), re);
  } catch (const std::regex_error&) {
    return false;
  }
}

}  // namespace warren::policy::internal
