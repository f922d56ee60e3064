// warren's raft_uv_transport: libraft's connect and listen without its TCP transport.
// Outgoing streams come from the owner's Dialer (sockets it connected and
// authenticated), incoming ones from Accept(). libraft's own TCP transport also sends
// and reads a handshake (protocol, id, address) on each stream; here the owner's
// authentication has already told both sides who is who, so streams carry raft
// messages only. One thread: the loop's.
#pragma once

// libraft's headers lack extern "C" guards.
extern "C" {
#include <raft.h>
#include <raft/uv.h>
}

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <sys/socket.h>
#include <string>
#include <vector>

#include "cluster/raft/raft_log.h"

namespace warren::cluster {

class Transport {
 public:
  Transport(uv_loop_t* loop, Dialer dial);
  // REQUIRES: raft never initialized it, or its close callback has fired.
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  raft_uv_transport* raft() { return &iface_; }

  // Wraps `fd` as a stream and hands it to raft, or closes it when raft is not
  // listening (not started, or closing).
  void Accept(uint64_t id, const std::string& address, int fd);

  // Fault injection (tests of partitions): the streams to and from the servers `ids`
  // are shut down; raft then drops them (new ones are the dialer's and acceptor's
  // business).
  void Cut(const std::set<uint64_t>& ids);

  // Runs `task` from the loop soon, never inside this call. False when the transport
  // is not open (not initialized, or closing): then the caller runs it itself.
  bool Defer(std::function<void()> task);

 private:
  struct Dial;

  static int Init(raft_uv_transport* t, raft_id id, const char* address);
  static int Listen(raft_uv_transport* t, raft_uv_accept_cb cb);
  static int Connect(raft_uv_transport* t, raft_uv_connect* req, raft_id id,
                     const char* address, raft_uv_connect_cb cb);
  static void Close(raft_uv_transport* t, raft_uv_transport_close_cb cb);
  static Transport* Self(raft_uv_transport* t) { return static_cast<Transport*>(t->impl); }

  void OnWake();           // in the loop: answered dials to raft, deferred tasks
  void OnClosed();         // in the loop: fails what is left, then tells raft
  void RunDeferred();
  // A stream for `fd` (to or from server `id`), allocated as raft frees it; null (fd
  // closed) on failure.
  uv_stream_t* Wrap(int fd, uint64_t id);
  struct Endpoints {
    sockaddr_storage local{}, peer{};
  };
  static Endpoints EndpointsOf(int fd);
  struct Stream {
    uint64_t id;
    int fd;
    Endpoints endpoints;  // to tell the socket from a later one reusing its fd
  };
  std::vector<Stream> streams_;

  uv_loop_t* loop_;
  Dialer dial_;
  raft_uv_transport iface_;
  raft_uv_accept_cb accept_cb_ = nullptr;
  raft_uv_transport_close_cb close_cb_ = nullptr;
  // Wakes the loop when a dial is answered, which may happen outside of it.
  std::unique_ptr<uv_async_t> wake_;
  std::vector<std::shared_ptr<Dial>> dials_;  // in flight or answered, in order
  std::vector<std::function<void()>> deferred_;
  bool initialized_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace warren::cluster
