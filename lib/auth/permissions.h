// Permission patterns, as RabbitMQ's internal authorisation backend reads them: each of
// configure / write / read (and a topic permission's write / read) is a regular
// expression that a resource name must match somewhere (an unanchored search, like
// Erlang's re:run). An empty pattern grants nothing. Patterns are ECMAScript regular
// expressions (std::regex), which cover what RabbitMQ users write in practice
// ("^amq\.gen.*", "^(a|b)$", ".*"). Compiled patterns are immutable; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace warren::auth {

class PermissionPattern {
 public:
  // BadInput naming the pattern and what is wrong with it when it is not a valid
  // regular expression: "regular expression '(' is invalid: mismatched parentheses".
  static Result<PermissionPattern> Compile(std::string_view text);

  // Whether `name` (a queue, exchange or routing key) is granted by this pattern.
  bool Matches(std::string_view name) const;
  const std::string& text() const { return text_; }

 private:
  struct Compiled;
  PermissionPattern(std::string text, std::shared_ptr<const Compiled> compiled)
      : text_(std::move(text)), compiled_(std::move(compiled)) {}

  std::string text_;
  std::shared_ptr<const Compiled> compiled_;  // null for the empty pattern
};

// OK when `text` compiles; the BadInput of Compile otherwise.
Status ValidatePermissionPattern(std::string_view text);

// Topic permission patterns may name {username}, {vhost} and {client_id}; RabbitMQ
// replaces them before it compiles the pattern, so "^{username}\\." is valid.
std::string ExpandTopicVariables(std::string pattern, std::string_view user,
                                 std::string_view vhost, std::string_view client_id = "");
// ValidatePermissionPattern of the pattern with its variables expanded.
Status ValidateTopicPattern(std::string_view text);

}  // namespace warren::auth
