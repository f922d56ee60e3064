// A small blocking AMQP 0-9-1 client for the load generator: one socket, one channel,
// frames batched into one write() and received through a large read buffer.
// A Connection is owned by one thread; only Abort() may be called from another.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "amqp/frame.h"
#include "base/status.h"
#include "perf/perf.h"

namespace warren::perf {

// The channel every Connection opens and works on.
inline const ChannelId kChannel{1};

class Connection {
 public:
  // Connects to uri's host and port (TCP_NODELAY) and runs Handshake. Unavailable
  // "cannot connect to 127.0.0.1:5672: Connection refused" when no address answers;
  // otherwise as Handshake.
  static Result<std::unique_ptr<Connection>> Open(const Uri& uri, std::string_view name);
  // Takes a connected socket (closed by the Connection in every case) and opens the
  // AMQP connection and channel 1 on it: protocol header, start/start-ok (PLAIN),
  // tune/tune-ok (the server's channel-max and frame-max, no heartbeats), open, and
  // channel.open. AccessRefused when the server refuses the user (403, or the socket
  // closes after start-ok); Unavailable when the socket fails; otherwise the server's
  // close reason.
  static Result<std::unique_ptr<Connection>> Handshake(int fd, const Uri& uri,
                                                       std::string_view name);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  uint32_t frame_max() const { return frame_max_; }

  // Sends `request` on channel 1 and waits for its reply, which it returns. Events that
  // arrive after the reply stay queued for Poll. Errors as Poll.
  Result<amqp::Method> Call(const amqp::Method& request);

  // Frames waiting to be written; Append* and callers add to it, Flush writes it.
  std::string& out() { return out_; }
  // Appends a method frame on channel 1. Internal for a value that does not encode.
  Status Append(const amqp::Method& method);
  // Writes out() completely and empties it. Unavailable when the socket fails (with the
  // server's close reason instead, when one arrived).
  Status Flush();

  // Returns the decoded events, waiting up to `timeout` for bytes when none are queued
  // (zero: do not wait, negative: wait forever; an empty span on timeout). The span and the bytes of its body
  // events stay valid until the next Poll or Call. Heartbeats are dropped. A
  // connection.close or channel.close from the server is answered and returned as an
  // error: AccessRefused for 403 on the connection, otherwise BadInput with
  // "<code> <text>"; Unavailable when the socket closes or fails.
  Result<std::span<const amqp::FrameEvent>> Poll(std::chrono::milliseconds timeout);

  // Closes channel and connection politely (connection.close, then waits up to
  // `timeout` for close-ok, discarding deliveries); the socket is closed either way.
  void Close(std::chrono::milliseconds timeout);
  // Shuts the socket down so a blocked read or write returns. Thread-safe.
  void Abort();

 private:
  Connection(int fd, const Uri& uri) : fd_(fd), uri_(uri) {}
  Status OpenConnection(std::string_view name);
  // The next method event (skipping heartbeats), waiting as long as it takes.
  Result<amqp::Method> NextMethod();
  Status ReadMore(std::chrono::milliseconds timeout, bool& got_bytes);
  Status ServerClosed(uint16_t channel, uint16_t code, std::string_view text);
  Status Lost(std::string_view what, int err);

  std::atomic<int> fd_;
  Uri uri_;
  bool closed_ = false;       // the server closed the connection
  uint32_t frame_max_ = amqp::kFrameMinSize;
  amqp::FrameDecoder decoder_;
  std::string out_;
  std::vector<char> in_;      // received bytes: [consumed_, filled_) are not decoded yet
  size_t consumed_ = 0;
  size_t filled_ = 0;
  std::vector<amqp::FrameEvent> events_;
  size_t next_event_ = 0;     // events_[next_event_..] not yet handed out
};

}  // namespace warren::perf
