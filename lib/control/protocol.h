// How admin-service results cross a door (control socket or management HTTP API):
// the one ErrorKind -> HTTP status map and the one error body serializer
// (CONVENTIONS 5 and 6). Used by both ends: the node and the CLI client.
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace warren::control {

using json = nlohmann::json;

// 404 not found, 400 bad input / precondition / already exists, 401 access refused
// (RabbitMQ's management API answers 401 for refused access too), 503 unavailable,
// 504 timeout, 500 internal.
constexpr int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kAlreadyExists: return 400;
    case ErrorKind::kPrecondition: return 400;
    case ErrorKind::kBadInput: return 400;
    case ErrorKind::kAccessRefused: return 401;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kTimeout: return 504;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

// {"error": <management API type>, "reason": message, "kind": token[, "subject": ...]}
json ErrorBody(const Status& status);
// The Status an error body describes; Internal when the body is not one.
Status StatusFromErrorBody(int http_status, const json& body);
// What a reply means: `body` for a 2xx `http_status`, else the Status its error body
// describes. The control-socket and inter-node doors both decode replies with it, so a
// command's output and exit code do not depend on the door.
Result<json> ResultFromReply(int http_status, json body);

}  // namespace warren::control
