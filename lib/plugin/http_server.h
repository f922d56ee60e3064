// The HTTP listeners plugins ask for: one TCP listener per interface and port, shared by
// the plugins that name it, each route owned by the plugin that added it. HTTP/1.1 with
// keep-alive, Content-Length bodies only. Internal to lib/plugin; used on the
// io_context it was created with.
#pragma once

#include <functional>
#include <map>
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
  // Handlers run on fibers (base/fiber.h), so one can wait (an admin operation's
  // cluster commit) while the loop goes on. Runs `then` once no handler of `owner` is
  // running: at once, or when the last one ends. What a handler uses (its plugin)
  // must outlive it.
  void WhenIdle(const std::string& owner, std::function<void()> then);
  std::vector<HttpListenerInfo> listeners() const;

  struct Port;
  struct Running;

 private:
  asio::io_context& io_;
  std::vector<std::shared_ptr<Port>> ports_;
  std::shared_ptr<Running> running_;
};

}  // namespace warren::plugin
