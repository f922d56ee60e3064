#include "control/protocol.h"

namespace warren::control {
namespace {
// The `error` field as RabbitMQ's management API spells it for each HTTP status.
const char* ErrorType(int http_status) {
  switch (http_status) {
    case 400: return "bad_request";
    case 401: return "not_authorised";
    case 404: return "not_found";
    case 503: return "service_unavailable";
    case 504: return "timeout";
    default: return "internal_server_error";
  }
}
}  // namespace

json ErrorBody(const Status& status) {
  json body = {{"error", ErrorType(HttpStatusFor(status.kind()))},
               {"reason", status.message()},
               {"kind", std::string(ErrorKindToken(status.kind()))}};
  if (!status.subject().empty()) body["subject"] = status.subject();
  return body;
}

Status StatusFromErrorBody(int http_status, const json& body) {
  if (!body.is_object() || !body.contains("kind") || !body["kind"].is_string()) {
    return Status::Internal("the node answered HTTP " + std::to_string(http_status) +
                            " without an error description");
  }
  auto kind = ErrorKindFromToken(body["kind"].get<std::string>());
  std::string reason = body.value("reason", std::string());
  std::string subject = body.value("subject", std::string());
  return Status(kind.value_or(ErrorKind::kInternal), std::move(reason), std::move(subject));
}

Result<json> ResultFromReply(int http_status, json body) {
  if (http_status >= 200 && http_status < 300) return body;
  return StatusFromErrorBody(http_status, body);
}

}  // namespace warren::control
