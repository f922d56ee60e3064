// The inter-node transport on WARREN_DIST_PORT (docs/clustering.md): one listener, and
// outgoing connections per peer address, every connection opened by the cookie
// handshake of cluster/wire.h. A connection carries either Raft traffic (handed over
// as a socket to the Raft log once authenticated), broker traffic (handed over as a
// socket to the broker engine's peer link) or pipelined JSON requests and replies. Runs on the node's libuv loop (cluster/raft/uv_on_asio.h); not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "cluster/wire.h"

struct uv_loop_s;

namespace warren::cluster {

using json = nlohmann::json;
using Reply = std::function<void(Result<json>)>;

struct DistOptions {
  std::string self;      // this node's name
  std::string cookie;    // the shared secret
  std::string bind_ip = "::";
  int port = 25672;
  // An authenticated connection for Raft (`hello.purpose` "raft") or the broker's peer
  // link ("broker") from `hello.node`; the callee owns `fd`.
  std::function<void(const Hello& hello, int fd)> on_socket;
  // A request from node `from`; `reply` may be called later, at most once.
  std::function<void(const std::string& from, const json& request, Reply reply)> on_request;
};

class Dist {
 public:
  virtual ~Dist() = default;
  // Listens; Unavailable naming the port when it cannot.
  static Result<std::unique_ptr<Dist>> Start(uv_loop_s* loop, DistOptions options);

  // Opens an authenticated connection to `address` ("host:port") for `hello.purpose`
  // ("raft" or "broker"; hello.node is filled in) and hands its socket over:
  // done(fd, "") or done(-1, reason), on the loop.
  virtual void Dial(const std::string& address, Hello hello,
                    std::function<void(int fd, std::string error)> done) = 0;
  // Sends `request` to the node at `address` over its (shared, pipelined) connection.
  // done gets the reply body or the error the peer sent; Unavailable when the node
  // cannot be reached, Timeout after `timeout`.
  virtual void Call(const std::string& address, json request, Reply done,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10)) = 0;
  // Fault injection (tests of partitions): connections from `nodes` and to `addresses`
  // are refused and those open now closed, until another Cut changes the sets.
  virtual void Cut(std::set<std::string> nodes, std::set<std::string> addresses) = 0;
  // Closes the listener and every connection; pending calls fail with Unavailable.
  virtual void Close() = 0;
  virtual int port() const = 0;
};

// "host:port" -> (host, port); IPv6 hosts may be bracketed. BadInput otherwise.
Result<std::pair<std::string, int>> SplitAddress(const std::string& address);

}  // namespace warren::cluster
