// sysexits as rabbitmqctl uses them, and the one map from a failure's kind (and
// subject) to an exit code (CONVENTIONS 5). Commands override it per kind where
// rabbitmqctl does (see CommandSpec::errors).
#pragma once

#include "base/status.h"

namespace warren::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;        // EX_USAGE
inline constexpr int kExitDataErr = 65;      // EX_DATAERR
inline constexpr int kExitNoUser = 67;       // EX_NOUSER
inline constexpr int kExitUnavailable = 69;  // EX_UNAVAILABLE
inline constexpr int kExitSoftware = 70;     // EX_SOFTWARE
inline constexpr int kExitTempFail = 75;     // EX_TEMPFAIL

constexpr int ExitCodeFor(ErrorKind kind, bool subject_is_user) {
  switch (kind) {
    case ErrorKind::kNotFound: return subject_is_user ? kExitNoUser : kExitUnavailable;
    case ErrorKind::kAlreadyExists: return kExitSoftware;
    case ErrorKind::kPrecondition: return kExitUsage;
    case ErrorKind::kUnavailable: return kExitUnavailable;
    case ErrorKind::kAccessRefused: return kExitDataErr;
    case ErrorKind::kBadInput: return kExitUnavailable;
    case ErrorKind::kInternal: return kExitSoftware;
    case ErrorKind::kTimeout: return kExitTempFail;
  }
  return kExitSoftware;
}

}  // namespace warren::cli
