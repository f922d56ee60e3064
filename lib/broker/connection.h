// One client connection: the socket, the frame decoder, the handshake (protocol header,
// start/start-ok with PLAIN or AMQPLAIN, tune, open), heartbeats, the channels, and the
// output buffer every reply and delivery is appended to. Internal to lib/broker; lives
// on its shard and is kept alive by its pending socket operations.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <map>
#include <unordered_set>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "amqp/frame.h"
#include "auth/permissions.h"
#include "broker/channel.h"
#include "broker/core.h"

namespace warren::broker {

// A user's permissions in the connection's vhost, compiled.
struct Grants {
  auth::PermissionPattern configure, write, read;
  // Topic permissions by exchange: (write, read), {username}/{vhost} expanded.
  std::map<std::string, std::pair<auth::PermissionPattern, auth::PermissionPattern>> topics;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Core& core, asio::ip::tcp::socket socket);
  ~Connection();

  void Start();
  // Server-initiated close: connection.close with `code` and `text`, then the socket.
  void CloseWith(uint16_t code, const std::string& text);
  // The broker is going away: writes what output it can without waiting, then closes.
  void Abandon();

  // For channels.
  std::string& out() { return out_; }
  uint32_t frame_max() const { return frame_max_; }
  Core& core() { return core_; }
  Vhost& vhost() { return *vhost_; }
  const std::string& user() const { return user_; }
  const void* owner() const { return this; }
  bool cancel_notify() const { return cancel_notify_; }
  // Output is piling up faster than the client reads it: deliveries wait.
  bool write_blocked() const { return out_.size() + sending_.size() > kWriteHighWater; }
  void ScheduleFlush();
  size_t channel_count() const { return channels_.size(); }
  bool has_vhost(const Vhost* v) const { return vhost_ == v; }
  // Flow control: a publish landed in `q`, whose consumers are not keeping up; the
  // connection stops reading until the queue has drained (RabbitMQ's credit flow).
  void ThrottleOn(Queue& q);

  enum class Access { kConfigure, kWrite, kRead };
  // ACCESS_REFUSED in RabbitMQ's words unless the user may do `access` on the resource.
  Status Check(Access access, const char* kind, const std::string& name);
  Status CheckTopic(Access access, const std::string& exchange, const std::string& key);

  static constexpr size_t kWriteHighWater = 4 << 20;

 private:
  enum class State { kHeader, kStartOk, kSecureOk, kTuneOk, kOpen, kRunning, kClosing, kDead };

  void Read();
  void Process();
  Status Handle(amqp::FrameEvent& event);
  Status HandleConnectionMethod(amqp::Method& m);
  Status HandleChannelMethod(ChannelId ch, amqp::Method& m);
  Status ChannelError(Channel& ch, const Status& error, const amqp::Method* m);
  void ConnectionError(const Status& error, const amqp::Method* m);

  // Handshake (handshake.cc).
  void SendStart();
  Status OnStartOk(amqp::ConnectionStartOk& m);
  Status OnTuneOk(const amqp::ConnectionTuneOk& m);
  Status OnOpen(const amqp::ConnectionOpen& m);
  Status Authenticate(const std::string& mechanism, const std::string& response);
  Status LoadGrants();

  void Send(ChannelId ch, const amqp::Method& m);
  void Flush();
  void Shutdown();  // releases channels and closes the socket
  void StartHeartbeats();
  void OnHeartbeatTick();

  Core& core_;
  asio::ip::tcp::socket socket_;
  std::string peer_;
  bool loopback_peer_ = false;
  State state_ = State::kHeader;

  std::vector<char> in_;
  size_t in_len_ = 0;
  bool reading_ = false;
  amqp::FrameDecoder decoder_;
  std::vector<amqp::FrameEvent> events_;

  std::string out_, sending_;
  bool writing_ = false;
  bool flush_posted_ = false;
  bool close_after_write_ = false;

  uint16_t channel_max_;
  uint32_t frame_max_;
  uint16_t heartbeat_ = 0;
  asio::steady_timer heartbeat_timer_;
  bool received_since_tick_ = false;
  bool sent_since_tick_ = false;
  int missed_ticks_ = 0;

  std::string user_;
  Vhost* vhost_ = nullptr;
  std::optional<Grants> grants_;  // set once the connection is open
  std::unordered_set<std::string> granted_[3];  // names already checked, by Access
  bool throttled_ = false;
  uint64_t grants_seq_ = ~uint64_t(0);
  bool cancel_notify_ = false;
  bool auth_failure_close_ = false;
  bool blocked_notify_ = false;

  std::map<uint16_t, std::unique_ptr<Channel>> channels_;
};

}  // namespace warren::broker
