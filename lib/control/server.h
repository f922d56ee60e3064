// The control socket: a Unix domain socket (mode 0600, in a 0700 run directory) that
// serves the admin service over HTTP/1.1 + JSON to the CLI tools. Only the node's own
// user (or root) may call it; peers are checked with SO_PEERCRED. Runs on the io_context
// it is given; not thread-safe beyond that.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "control/node_api.h"

namespace asio {
class io_context;
}

namespace warren::control {

class ControlServer {
 public:
  virtual ~ControlServer() = default;
  // Binds `socket_path`. AlreadyExists when a live node already answers there (a second
  // node with the same name); a stale socket file is replaced.
  static Result<std::unique_ptr<ControlServer>> Start(asio::io_context& io,
                                                      const std::string& socket_path,
                                                      NodeApi& node);
  // Closes the socket and removes the file.
  virtual void Stop() = 0;
};

}  // namespace warren::control
