#include "base/status.h"

namespace warren {
namespace {
struct KindToken {
  ErrorKind kind;
  std::string_view token;
};
constexpr KindToken kKindTokens[] = {
    {ErrorKind::kNotFound, "not_found"},         {ErrorKind::kAlreadyExists, "already_exists"},
    {ErrorKind::kPrecondition, "precondition"},  {ErrorKind::kUnavailable, "unavailable"},
    {ErrorKind::kAccessRefused, "access_refused"}, {ErrorKind::kBadInput, "bad_input"},
    {ErrorKind::kInternal, "internal"},          {ErrorKind::kTimeout, "timeout"},
};
}  // namespace

std::string_view ErrorKindToken(ErrorKind kind) {
  for (const auto& kt : kKindTokens)
    if (kt.kind == kind) return kt.token;
  return "internal";
}

std::optional<ErrorKind> ErrorKindFromToken(std::string_view token) {
  for (const auto& kt : kKindTokens)
    if (kt.token == token) return kt.kind;
  return std::nullopt;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(ErrorKindToken(kind())) + ": " + message();
}

}  // namespace warren
