#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/engine_common.h"

namespace warren::cli::commands {

CommandSpec ListConnections() {
  CommandSpec c = EngineListCommand(
      "list_connections", "Lists AMQP 0.9.1 connections for the node", false,
      {"pid", "name", "port", "host", "peer_port", "peer_host", "ssl", "ssl_protocol",
       "ssl_key_exchange", "ssl_cipher", "ssl_hash", "peer_cert_subject", "peer_cert_issuer",
       "peer_cert_validity", "state", "channels", "protocol", "auth_mechanism", "user", "vhost",
       "timeout", "frame_max", "channel_max", "client_properties", "recv_oct", "recv_cnt",
       "send_oct", "send_cnt", "send_pend", "connected_at"},
      {"user", "peer_host", "peer_port", "state"},
      [](const Invocation&) { return std::string("Listing connections ..."); },
      [](const Invocation&) { return std::string("/api/connections"); });
  c.doc_guides = {"https://rabbitmq.com/connections.html"};
  return c;
}

}  // namespace warren::cli::commands
