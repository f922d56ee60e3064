// One broker peer link's socket (peer_wire.h): reads frames and hands them to its owner
// in batches, and writes what the owner appends. The owner is a RemoteHome (the member
// that dialed) or a HomeSession (the member that accepted); it sets the handlers and
// clears them with Detach() before it goes. Kept alive by its socket operations.
// Internal to lib/broker; used on the broker's thread.
#pragma once

#include <asio.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "broker/peer_wire.h"

namespace warren::broker {

class PeerLink : public std::enable_shared_from_this<PeerLink> {
 public:
  struct Handlers {
    std::function<Status(const peer::Frame&)> frame;  // an error closes the link
    std::function<void()> batch_end;                   // after each read's frames
    std::function<void()> drained;                     // output fell below the high water
    std::function<void(const Status&)> closed;         // once, when the link ends
  };

  PeerLink(asio::io_context& io, int fd, std::string peer);
  void Start(Handlers h);
  void Detach();  // no handler runs any more; the socket closes

  // Frames for the peer go here; Flush() or ScheduleFlush() sends them.
  std::string& out() { return out_; }
  void Flush();
  void ScheduleFlush();
  // Output is piling up faster than the peer reads it.
  bool write_blocked() const { return out_.size() + sending_.size() > kWriteHighWater; }
  bool closed() const { return closed_; }
  const std::string& peer() const { return peer_; }

  static constexpr size_t kWriteHighWater = 8 << 20;

 private:
  void Read();
  void End(const Status& why);

  asio::ip::tcp::socket socket_;
  std::string peer_;
  Handlers h_;
  std::vector<char> in_;
  size_t in_len_ = 0;
  std::string out_, sending_;
  bool writing_ = false, flush_posted_ = false, closed_ = false;
};

}  // namespace warren::broker
