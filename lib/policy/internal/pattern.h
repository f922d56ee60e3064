// Regular expressions of policy patterns and regex-typed parameters. Internal to
// lib/policy. Patterns are ECMAScript regular expressions (std::regex), which cover
// what RabbitMQ users write in practice ("^amq\.", "^(a|b)$", ".*"); Erlang's re
// (PCRE) accepts a few constructs more, such as lookbehind.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <string_view>

#include "base/status.h"

namespace warren::policy::internal {

// The compiled pattern, or BadInput whose message says what is wrong
// ("missing )", "nothing to repeat", ...).
Result<std::shared_ptr<const std::regex>> CompilePattern(const std::string& text);

// Whether `re` matches somewhere in `name` (an unanchored search, like re:run).
// A search the library gives up on (too complex) counts as no match.
bool Search(const std::regex& re, std::string_view name);

}  // namespace warren::policy::internal
