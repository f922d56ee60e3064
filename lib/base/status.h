// Status and Result<T>: the only error carriers in warren (CONVENTIONS 4).
// A Status is OK or {ErrorKind, message, subject}; `subject` names the kind of thing
// that is wrong ("user", "vhost", ...) so the doors can pick finer codes without
// parsing messages. Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace warren {

// The closed set from DESIGN decision 9, plus Internal and Timeout.
enum class ErrorKind {
  kNotFound,
  kAlreadyExists,
  kPrecondition,
  kUnavailable,
  kAccessRefused,
  kBadInput,
  kInternal,
  kTimeout,
};

// Wire token of a kind ("not_found", ...), as it crosses the control socket.
std::string_view ErrorKindToken(ErrorKind kind);
// Inverse of ErrorKindToken; nullopt for an unknown token.
std::optional<ErrorKind> ErrorKindFromToken(std::string_view token);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorKind kind, std::string message, std::string subject = {})
      : error_(Error{kind, std::move(message), std::move(subject)}) {}

  static Status OK() { return Status(); }
  static Status NotFound(std::string m, std::string subject = {}) {
    return {ErrorKind::kNotFound, std::move(m), std::move(subject)};
  }
  static Status AlreadyExists(std::string m, std::string subject = {}) {
    return {ErrorKind::kAlreadyExists, std::move(m), std::move(subject)};
  }
  static Status Precondition(std::string m, std::string subject = {}) {
    return {ErrorKind::kPrecondition, std::move(m), std::move(subject)};
  }
  static Status Unavailable(std::string m, std::string subject = {}) {
    return {ErrorKind::kUnavailable, std::move(m), std::move(subject)};
  }
  static Status AccessRefused(std::string m, std::string subject = {}) {
    return {ErrorKind::kAccessRefused, std::move(m), std::move(subject)};
  }
  static Status BadInput(std::string m, std::string subject = {}) {
    return {ErrorKind::kBadInput, std::move(m), std::move(subject)};
  }
  static Status Internal(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }
  static Status Timeout(std::string m) { return {ErrorKind::kTimeout, std::move(m)}; }

  bool ok() const { return !error_.has_value(); }
  // REQUIRES: !ok()
  ErrorKind kind() const { return error_->kind; }
  const std::string& message() const { return error_->message; }
  const std::string& subject() const { return error_->subject; }
  // "not_found: User "x" does not exist", or "OK".
  std::string ToString() const;

 private:
  struct Error {
    ErrorKind kind;
    std::string message;
    std::string subject;
  };
  std::optional<Error> error_;
};

// A value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}           // NOLINT: REQUIRES !status.ok()

  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace warren

#define WARREN_CONCAT_INNER(a, b) a##b
#define WARREN_CONCAT(a, b) WARREN_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define WARREN_TRY(expr)                          \
  do {                                            \
    ::warren::Status warren_try_s_ = (expr);      \
    if (!warren_try_s_.ok()) return warren_try_s_; \
  } while (0)

// `lhs = value of expr`, or return its Status.
#define WARREN_ASSIGN_OR_RETURN(lhs, expr) \
  WARREN_ASSIGN_OR_RETURN_IMPL(WARREN_CONCAT(warren_r_, __LINE__), lhs, expr)
#define WARREN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
