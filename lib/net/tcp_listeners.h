// TCP listeners: they accept connections and hand each socket to a handler (the AMQP
// engine's, or a plugin HTTP listener's). Used on the io_context they were opened on.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace asio {
class io_context;
}

namespace warren::net {

struct Listener {
  std::string ip;  // empty = every interface, IPv4 and IPv6
  int port = 0;
};

// Called with an accepted socket's native handle, which it then owns.
using ConnectionHandler = std::function<void(int fd)>;

struct BoundListener {
  std::string interface;  // as bound: "::" or "127.0.0.1"
  int port;
};

class TcpListeners {
 public:
  virtual ~TcpListeners() = default;
  // Binds every listener; Unavailable naming the address and `what` ("AMQP") when one
  // cannot be bound (e.g. the port is in use), in which case none stays open.
  static Result<std::unique_ptr<TcpListeners>> Open(asio::io_context& io,
                                                    const std::vector<Listener>& listeners,
                                                    ConnectionHandler handler,
                                                    const std::string& what = "AMQP");
  virtual std::vector<BoundListener> bound() const = 0;
  virtual void Close() = 0;
};

}  // namespace warren::net
