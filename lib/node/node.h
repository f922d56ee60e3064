// A warren node: boots from its NodeEnv (log, control socket, pid file, cookie,
// metadata store, configuration), runs the app (client listeners) and serves the admin
// service until SIGTERM/SIGINT or `stop`. One per process; Run() owns the calling thread.
#pragma once

#include <functional>
#include <memory>

#include "base/node_env.h"
#include "base/status.h"

namespace warren::node {

struct NodeOptions {
  NodeEnv env;
  bool log_to_stderr = true;  // foreground nodes also log to stderr
  // Called once boot has finished (OK) or failed, before Run() returns on failure:
  // the detached launcher reports this to its parent.
  std::function<void(const Status&)> on_boot;
};

class Node {
 public:
  virtual ~Node() = default;
  // Boots and serves until shut down. Returns the boot error, if boot failed.
  static Status Run(NodeOptions options);
};

}  // namespace warren::node
