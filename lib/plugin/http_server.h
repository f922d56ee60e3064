// The HTTP listeners plugins ask for: one TCP listener per interface and port, shared by
// the plugins that name it, each route owned by the plugin that added it. HTTP/1.1 with
// keep-alive, Content-Length bodies only. Internal to lib/plugin; used on the
// io_context it was created with.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "plugin/api.h"
#include "plugin/host.h"

namespace asio {
class io_context;
}

namespace warren::plugin {

class HttpServer {
 public:
  explicit HttpServer(asio::io_context& io);
  ~HttpServer();

  // Opens the listener on first use. Unavailable when it cannot be bound; AlreadyExists
  // when `method` + `path` is taken on that listener.
  Status AddRoute(const std::string& owner, const HttpListenerSpec& listener,
                  const std::string& method, const std::string& path, HttpHandler handler);
  // Drops the routes of `owner`; a listener left without routes closes.
  void RemoveOwner(const std::string& owner);
  std::vector<HttpListenerInfo> listeners() const;

  struct Port;

 private:
  asio::io_context& io_;
  std::vector<std::shared_ptr<Port>> ports_;
};

}  // namespace warren::plugin
