// Opening an AMQP 0-9-1 connection and channel as a client, the way RabbitMQ's own
// clients do: PLAIN credentials, the capabilities table RabbitMQ looks for, and the
// server's tuning accepted as offered (heartbeats off: the load never goes idle).
#include <unistd.h>

#include <fmt/format.h>

#include "base/version.h"
#include "perf/client.h"

namespace warren::perf {
namespace {

amqp::FieldTable ClientProperties(std::string_view name) {
  amqp::FieldTable capabilities;
  for (const char* c : {"publisher_confirms", "exchange_exchange_bindings", "basic.nack",
                        "consumer_cancel_notify", "connection.blocked",
                        "authentication_failure_close", "per_consumer_qos"}) {
    capabilities.Set(c, true);
  }
  amqp::FieldTable props;
  props.Set("product", std::string("warren-perf"));
  props.Set("version", std::string(kVersion));
  props.Set("platform", std::string("C++"));
  props.Set("information", std::string("warren's load generator"));
  props.Set("connection_name", std::string(name));
  props.Set("capabilities", std::move(capabilities));
  return props;
}

std::string PlainResponse(const Uri& uri) {
  std::string response;
  response.push_back('\0');
  response += uri.user;
  response.push_back('\0');
  response += uri.password;
  return response;
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Handshake(int fd, const Uri& uri,
                                                          std::string_view name) {
  std::unique_ptr<Connection> c(new Connection(fd, uri));
  WARREN_TRY(c->OpenConnection(name));
  return c;
}

Status Connection::OpenConnection(std::string_view name) {
  out_.assign(amqp::kProtocolHeader);
  WARREN_TRY(Flush());
  auto start = NextMethod();
  if (!start.ok()) {
    if (start.status().kind() != ErrorKind::kUnavailable) return start.status();
    return Status::Unavailable(uri_.Endpoint() + " did not answer the AMQP 0-9-1 header (" +
                               start.status().message() + ")");
  }
  const auto* server_start = std::get_if<amqp::ConnectionStart>(&*start);
  if (server_start == nullptr) {
    return Status::Unavailable("expected connection.start, got " +
                               std::string(amqp::InfoOf(*start).name));
  }
  if (server_start->mechanisms.find("PLAIN") == std::string::npos) {
    return Status::Unavailable("the server does not offer PLAIN authentication (it offers \"" +
                               server_start->mechanisms + "\")");
  }
  amqp::ConnectionStartOk start_ok{ClientProperties(name), "PLAIN", PlainResponse(uri_), "en_US"};
  WARREN_TRY(amqp::WriteMethodFrame(out_, ChannelId(0), start_ok, frame_max_));
  WARREN_TRY(Flush());

  // RabbitMQ answers bad credentials with connection.close 403 when the client has the
  // authentication_failure_close capability, and by closing the socket otherwise.
  auto tune = NextMethod();
  if (!tune.ok()) {
    const Status& s = tune.status();
    if (s.kind() != ErrorKind::kAccessRefused && s.kind() != ErrorKind::kUnavailable) return s;
    std::string reason = s.message();
    if (s.kind() == ErrorKind::kUnavailable) reason = "the server closed the connection";
    return Status::AccessRefused(
        fmt::format("user '{}' was refused by {}: {}", uri_.user, uri_.Endpoint(), reason));
  }
  const auto* server_tune = std::get_if<amqp::ConnectionTune>(&*tune);
  if (server_tune == nullptr) {
    return Status::Unavailable("expected connection.tune, got " +
                               std::string(amqp::InfoOf(*tune).name));
  }
  // frame-max 0 means "no limit"; RabbitMQ's default of 128 KiB is ample for our writes.
  frame_max_ = server_tune->frame_max == 0 ? 131072 : server_tune->frame_max;
  amqp::ConnectionTuneOk tune_ok{server_tune->channel_max, frame_max_, 0};
  WARREN_TRY(amqp::WriteMethodFrame(out_, ChannelId(0), tune_ok, frame_max_));
  decoder_.set_frame_max(frame_max_);

  amqp::ConnectionOpen open;
  open.virtual_host = VhostName(uri_.vhost);
  WARREN_TRY(amqp::WriteMethodFrame(out_, ChannelId(0), open, frame_max_));
  WARREN_TRY(Flush());
  WARREN_ASSIGN_OR_RETURN(amqp::Method open_ok, NextMethod());
  if (!std::holds_alternative<amqp::ConnectionOpenOk>(open_ok)) {
    return Status::Unavailable("expected connection.open-ok, got " +
                               std::string(amqp::InfoOf(open_ok).name));
  }
  WARREN_ASSIGN_OR_RETURN(amqp::Method channel_ok, Call(amqp::ChannelOpen{}));
  (void)channel_ok;
  return Status::OK();
}

}  // namespace warren::perf
