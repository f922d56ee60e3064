// The node's client-facing TCP listeners. They accept connections and hand each socket
// to the connection handler the broker provides. Owned by the node's control thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "node/config.h"

namespace asio {
class io_context;
}

namespace warren::node {

// Called with an accepted socket's native handle, which it then owns.
using ConnectionHandler = std::function<void(int fd)>;

struct BoundListener {
  std::string interface;  // as bound: "::" or "127.0.0.1"
  int port;
};

class TcpListeners {
 public:
  virtual ~TcpListeners() = default;
  // Binds every listener; Unavailable naming the address when one cannot be bound
  // (e.g. the port is in use), in which case none stays open.
  static Result<std::unique_ptr<TcpListeners>> Open(asio::io_context& io,
                                                    const std::vector<Listener>& listeners,
                                                    ConnectionHandler handler);
  virtual std::vector<BoundListener> bound() const = 0;
  virtual void Close() = 0;
};

}  // namespace warren::node
