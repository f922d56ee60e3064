// One client connection: the socket, the frame decoder, the handshake (protocol header,
// start/start-ok with PLAIN or AMQPLAIN, tune, open), heartbeats, the channels, and the
// output buffer every reply and delivery is appended to. Internal to lib/broker; lives
// on its shard and is kept alive by its pending socket operations.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <deque>
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
#include "broker/handover.h"

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
  // Serves a connection another shard of the node handed over (handover.h), from
  // where it left off.
  void Adopt(Handover& h);
  // Server-initiated close: connection.close with `code` and `text`, then the socket.
  void CloseWith(uint16_t code, const std::string& text);
  // The broker is going away: writes what output it can without waiting, then closes.
  void Abandon();

  // For channels.
  std::string& out() { return out_; }
  uint32_t frame_max() const { return session_.frame_max; }
  Core& core() { return core_; }
  Vhost& vhost() { return *vhost_; }
  const std::string& user() const { return session_.user; }
  const void* owner() const { return this; }
  bool cancel_notify() const { return session_.cancel_notify; }
  // Output is piling up faster than the client reads it: deliveries wait.
  bool write_blocked() const { return out_.size() + sending_.size() > kWriteHighWater; }
  void ScheduleFlush();
  size_t channel_count() const { return channels_.size(); }
  bool has_vhost(const Vhost* v) const { return vhost_ == v; }
  // A resource alarm started or cleared (Core::alarm): block or unblock publishing.
  void AlarmChanged();
  // A message was published whole: during an alarm the connection is blocked once the
  // current batch has been handled.
  void NotePublished() { session_.published = true; }
  // Flow control: a publish landed in `q`, whose consumers are not keeping up; the
  // connection stops reading until the queue has drained (RabbitMQ's credit flow).
  void ThrottleOn(Queue& q);
  // An fdatasync of the message store finished: confirms waiting for it go out.
  void ConfirmsResolved();
  // A channel method another member answers (a stand-in queue's): input stops after
  // it, so the methods after it see its outcome.
  void Suspend() { suspended_ = true; }
  bool suspended() const { return suspended_; }
  // Reads held input again only once Resume runs: lets a method's late answer start
  // another answer (which suspends again) before the held input is looked at.
  void Unsuspend() { suspended_ = false; }
  // The answer is in: `error`, if not OK, is `m`'s outcome on `ch` (a channel or
  // connection exception); then the input held back is handled and reading resumes.
  void Resume(Channel& ch, const Status& error, const amqp::Method* m);

  enum class Access { kConfigure, kWrite, kRead };
  // ACCESS_REFUSED in RabbitMQ's words unless the user may do `access` on the resource.
  Status Check(Access access, const char* kind, const std::string& name);
  Status CheckTopic(Access access, const std::string& exchange, const std::string& key);

  static constexpr size_t kWriteHighWater = 4 << 20;
  // An idle connection holds a small read buffer; one whose reads keep filling it (a
  // busy publisher) doubles it up to kMaxReadBuffer, so a read takes many frames at once.
  static constexpr size_t kMinReadBuffer = 4 << 10;
  static constexpr size_t kMaxReadBuffer = 256 << 10;

  // Read-only views for the admin listings.
  uint64_t serial() const { return serial_; }
  const asio::ip::tcp::endpoint& local_endpoint() const { return local_; }
  const asio::ip::tcp::endpoint& remote_endpoint() const { return remote_; }
  int64_t connected_at() const { return session_.connected_at; }  // ms since the epoch
  const Vhost* vhost_or_null() const { return vhost_; }
  const amqp::FieldTable& client_properties() const { return session_.client_properties; }
  const std::string& auth_mechanism() const { return session_.auth_mechanism; }
  uint16_t channel_max() const { return session_.channel_max; }
  uint16_t heartbeat() const { return session_.heartbeat; }
  uint64_t recv_oct() const { return session_.recv_oct; }
  uint64_t recv_cnt() const { return session_.recv_cnt; }
  uint64_t send_oct() const { return session_.send_oct; }
  uint64_t send_cnt() const { return session_.send_cnt; }
  size_t send_pend() const { return out_.size() + sending_.size(); }
  // RabbitMQ's connection states: starting, tuning, opening, running, flow, closing, closed.
  const char* state_name() const {
    switch (state_) {
      case State::kHeader:
      case State::kStartOk:
      case State::kSecureOk: return "starting";
      case State::kTuneOk: return "tuning";
      case State::kOpen: return "opening";
      case State::kRunning: return throttled_ ? "flow" : "running";
      case State::kClosing: return "closing";
      case State::kDead: return "closed";
    }
    return "closed";
  }
  template <typename F>
  void ForEachChannel(F&& f) const {
    for (const auto& [n, ch] : channels_) f(*ch);
  }

 private:
  enum class State { kHeader, kStartOk, kSecureOk, kTuneOk, kOpen, kRunning, kClosing, kDead };

  void Read();
  bool CanRead() const;
  void Process();
  // Handles `events` in order until one suspends the connection (the rest are then
  // held, their borrowed bytes copied) or fails. False when the connection died.
  bool HandleEvents(std::vector<amqp::FrameEvent>& events);
  // Keeps events[i..] for later, copying the bytes they borrow.
  void HoldFrom(std::vector<amqp::FrameEvent>& events, size_t i);
  void EndBatch();
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
  // Limits, counted node-wide (tally.h): a running connection is admitted into its
  // vhost's and user's counts until it stops running; its channels are counted too.
  Status Admit(const std::string& vhost);
  void Unadmit();
  Status CheckChannelLimit();
  void ChannelsClosed();  // after channels_ lost some
  // Requeues every channel's unacknowledged deliveries and closes them all (the
  // connection closing).
  void ReleaseChannels();
  Status Authenticate(const std::string& mechanism, const std::string& response);
  Status LoadGrants();

  void Send(ChannelId ch, const amqp::Method& m);
  void Flush();
  void Shutdown();  // releases channels and closes the socket

  // Moving to the shard holding the queues the connection uses (handover.cc).
  // Before `m` runs on `ch`: true when the connection is moving and gives `m` back, to
  // be handled on the shard it moves to.
  bool MoveFor(Channel& ch, const amqp::Method& m);
  // Moves once the output is written: the socket and the rest go to the other shard,
  // and this connection ends without being counted as closed.
  void MaybeHandOver();
  void HandOver();
  void StartHeartbeats();
  void OnHeartbeatTick();

  Core& core_;
  asio::ip::tcp::socket socket_;
  State state_ = State::kHeader;

  std::vector<char> in_;
  size_t in_len_ = 0;
  bool last_read_filled_ = false;
  bool reading_ = false;
  amqp::FrameDecoder decoder_;
  std::vector<amqp::FrameEvent> events_;
  bool suspended_ = false;
  std::vector<amqp::FrameEvent> held_;      // decoded while suspended, in order
  std::deque<std::string> held_bytes_;      // the body bytes they borrow

  std::string out_, sending_;
  bool writing_ = false;
  bool flush_posted_ = false;
  bool close_after_write_ = false;

  Session session_;  // the client, what the handshake settled, the traffic (handover.h)

  asio::steady_timer heartbeat_timer_;
  bool received_since_tick_ = false;
  bool sent_since_tick_ = false;
  int missed_ticks_ = 0;

  Vhost* vhost_ = nullptr;
  std::optional<Grants> grants_;  // set once the connection is open
  std::unordered_set<std::string> granted_[3];  // names already checked, by Access
  bool throttled_ = false;
  bool alarm_blocked_ = false;   // not read while a resource alarm is on
  uint64_t grants_revision_ = ~uint64_t(0);
  std::optional<std::string> admitted_vhost_;  // counted as running there
  int64_t tallied_channels_ = 0;

  std::map<uint16_t, std::unique_ptr<Channel>> channels_;

  bool placed_ = false;         // on the shard it stays on (handover.h)
  bool moving_ = false;         // handing over to move_to_ once the output is out
  std::string move_to_;
  std::optional<Status> input_error_;  // a decoding error found while moving

  // Bookkeeping for the admin listings (after socket_, from which the endpoints come).
  static asio::ip::tcp::endpoint EndpointOf(const asio::ip::tcp::socket& s, bool local) {
    std::error_code ec;
    return local ? s.local_endpoint(ec) : s.remote_endpoint(ec);
  }
  const uint64_t serial_ = NextSerial();
  const asio::ip::tcp::endpoint local_ = EndpointOf(socket_, true);
  const asio::ip::tcp::endpoint remote_ = EndpointOf(socket_, false);
};

}  // namespace warren::broker
