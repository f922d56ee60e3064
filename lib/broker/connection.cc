#include "broker/connection.h"

#include <cstring>

#include "amqp/codec_error.h"
#include "base/log.h"
#include "meta/view.h"

namespace warren::broker {
namespace {

// Beyond this much unsent output the connection stops reading: a client that does not
// read what it is sent cannot make the broker buffer without bound.
constexpr size_t kInputPauseWater = 16 << 20;

std::pair<uint16_t, uint16_t> MethodIds(const amqp::Method* m) {
  if (!m) return {0, 0};
  return std::visit([](const auto& x) { return std::pair<uint16_t, uint16_t>(x.kClassId, x.kMethodId); },
                    *m);
}

}  // namespace

Connection::Connection(Core& core, asio::ip::tcp::socket socket)
    : core_(core),
      socket_(std::move(socket)),
      heartbeat_timer_(core.io) {
  session_.channel_max = core.options.channel_max;
  session_.frame_max = core.options.frame_max;
  session_.connected_at = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
}

Connection::~Connection() = default;

void Connection::Start() {
  core_.connections.emplace(this, shared_from_this());
  std::error_code ec;
  auto remote = socket_.remote_endpoint(ec);
  if (!ec) {
    auto addr = remote.address();
    if (addr.is_v6() && addr.to_v6().is_v4_mapped())
      addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
    session_.loopback_peer = addr.is_loopback();
    session_.peer = (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" +
            std::to_string(remote.port());
  }
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  in_.resize(kMinReadBuffer);
  log::Debug("accepting AMQP connection from " + session_.peer);
  // RabbitMQ's handshake_timeout: a client that does not get through to
  // connection.open in time is disconnected.
  heartbeat_timer_.expires_after(std::chrono::milliseconds(core_.options.handshake_timeout_ms));
  heartbeat_timer_.async_wait([self = shared_from_this()](std::error_code e) {
    if (e || self->state_ == State::kRunning || self->state_ == State::kDead) return;
    log::Warning("closing AMQP connection from " + self->session_.peer + ": handshake timeout");
    self->Shutdown();
  });
  Read();
}

void Connection::Read() {
  if (reading_ || state_ == State::kDead) return;
  // A partial frame larger than the buffer, or a busy client: grow.
  if (in_len_ == in_.size() || (last_read_filled_ && in_.size() < kMaxReadBuffer))
    in_.resize(in_.size() * 2);
  reading_ = true;
  socket_.async_read_some(
      asio::buffer(in_.data() + in_len_, in_.size() - in_len_),
      [self = shared_from_this()](std::error_code ec, size_t n) {
        self->reading_ = false;
        if (ec) {
          if (self->state_ != State::kDead && self->state_ != State::kClosing &&
              self->state_ != State::kHeader)
            log::Warning("client unexpectedly closed TCP connection " + self->session_.peer);
          self->Shutdown();
          return;
        }
        self->in_len_ += n;
        self->session_.recv_oct += n;
        ++self->session_.recv_cnt;
        self->received_since_tick_ = true;
        self->Process();
        if (self->CanRead()) self->Read();
      });
}

void Connection::Process() {
  size_t used = 0;
  if (state_ == State::kHeader) {
    switch (amqp::CheckProtocolHeader({in_.data(), in_len_})) {
      case amqp::HeaderCheck::kNeedMore: return;
      case amqp::HeaderCheck::kRejected:
        // Answer with the protocol we speak, then close, as the spec asks.
        out_.append(amqp::kProtocolHeader);
        close_after_write_ = true;
        state_ = State::kClosing;
        Unadmit();
        Flush();
        return;
      case amqp::HeaderCheck::kAccepted:
        used = amqp::kProtocolHeader.size();
        state_ = State::kStartOk;
        SendStart();
        break;
    }
  }
  events_.clear();
  Result<size_t> decoded = decoder_.Decode({in_.data() + used, in_len_ - used}, events_);
  if (!HandleEvents(events_)) return;
  if (state_ == State::kDead) return;
  if (!decoded.ok()) {
    // While moving, the error comes after the events held: the next shard reports it.
    if (moving_) input_error_ = decoded.status();
    else if (state_ != State::kClosing) ConnectionError(decoded.status(), nullptr);
    in_len_ = 0;
  } else {
    used += *decoded;
    std::memmove(in_.data(), in_.data() + used, in_len_ - used);
    in_len_ -= used;
  }
  EndBatch();
}

bool Connection::HandleEvents(std::vector<amqp::FrameEvent>& events) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (state_ == State::kDead) return false;
    if (suspended_) {
      HoldFrom(events, i);
      return true;
    }
    auto& e = events[i];
    Status s;
    try {
      s = Handle(e);
    } catch (const std::exception& ex) {
      // A fault of the broker, not of the client: this connection closes (541), the
      // node and every other connection go on.
      s = Status::Internal(std::string("the broker failed handling a frame: ") + ex.what());
    }
    if (!s.ok()) {
      ConnectionError(s, std::get_if<amqp::MethodEvent>(&e) ? &std::get<amqp::MethodEvent>(e).method
                                                           : nullptr);
      return true;
    }
    if (moving_ && held_.empty()) {
      // The connection just began moving (MoveFor): this event is handled on the
      // shard it moves to, and so is the rest.
      HoldFrom(events, i);
      return true;
    }
  }
  return state_ != State::kDead;
}

void Connection::HoldFrom(std::vector<amqp::FrameEvent>& events, size_t i) {
  // Held until the answer is in (or the move is done); body bytes are borrowed from
  // the input buffer.
  for (size_t j = i; j < events.size(); ++j) {
    if (auto* b = std::get_if<amqp::BodyEvent>(&events[j])) {
      held_bytes_.emplace_back(b->bytes);
      b->bytes = held_bytes_.back();
    }
    held_.push_back(std::move(events[j]));
  }
}

void Connection::EndBatch() {
  // Group commit: this batch's persistent messages are written now and confirmed once
  // an fdatasync covering them is done (Core::CommitMessages).
  core_.CommitMessages();
  for (auto& [id, ch] : channels_) ch->FlushConfirms();
  if (core_.alarm && session_.published && !alarm_blocked_) AlarmChanged();
  Flush();
  if (moving_) MaybeHandOver();
}

void Connection::Resume(Channel& ch, const Status& error, const amqp::Method* m) {
  if (state_ == State::kDead) return;
  if (!error.ok()) {
    Status s = ChannelError(ch, error, m);
    if (!s.ok()) ConnectionError(s, m);
  }
  suspended_ = false;
  // Out of the caller (a peer link's handler): the held input is handled on its own turn.
  asio::post(core_.io, [self = shared_from_this()] {
    if (self->state_ == State::kDead || self->suspended_) return;
    std::vector<amqp::FrameEvent> held = std::move(self->held_);
    std::deque<std::string> bytes = std::move(self->held_bytes_);
    self->held_.clear();
    self->held_bytes_.clear();
    if (!self->HandleEvents(held)) return;
    self->EndBatch();
    if (!self->reading_ && self->CanRead()) self->Read();
  });
  Flush();
}

void Connection::ConfirmsResolved() {
  if (state_ == State::kDead) return;
  for (auto& [id, ch] : channels_) ch->FlushConfirms();
  Flush();
}

Status Connection::Handle(amqp::FrameEvent& event) {
  if (auto* me = std::get_if<amqp::MethodEvent>(&event)) {
    if (state_ == State::kClosing) {
      // After connection.close only close and close-ok count.
      if (std::holds_alternative<amqp::ConnectionCloseOk>(me->method)) Shutdown();
      else if (std::holds_alternative<amqp::ConnectionClose>(me->method)) {
        Send(ChannelId(0), amqp::ConnectionCloseOk{});
        close_after_write_ = true;
      }
      return Status::OK();
    }
    if (me->channel.get() == 0) return HandleConnectionMethod(me->method);
    if (state_ != State::kRunning)
      return Refuse(amqp::kUnexpectedFrame, "expected 'connection.open' before channel frames");
    return HandleChannelMethod(me->channel, me->method);
  }
  if (std::holds_alternative<amqp::HeartbeatEvent>(event) || state_ == State::kClosing)
    return Status::OK();
  const ChannelId ch = std::visit(
      [](const auto& e) {
        if constexpr (std::is_same_v<std::decay_t<decltype(e)>, amqp::HeartbeatEvent>) return ChannelId(0);
        else return e.channel;
      },
      event);
  auto it = channels_.find(ch.get());
  if (it == channels_.end())
    return Refuse(amqp::kChannelError, "expected 'channel.open' on channel " + std::to_string(ch.get()));
  Channel& channel = *it->second;
  if (channel.closing()) return Status::OK();
  Status s = std::holds_alternative<amqp::HeaderEvent>(event)
                 ? channel.OnHeader(std::get<amqp::HeaderEvent>(event))
                 : channel.OnBody(std::get<amqp::BodyEvent>(event));
  if (!s.ok()) return ChannelError(channel, s, nullptr);
  return Status::OK();
}

Status Connection::HandleConnectionMethod(amqp::Method& m) {
  if (auto* x = std::get_if<amqp::ConnectionStartOk>(&m); x && state_ == State::kStartOk)
    return OnStartOk(*x);
  if (auto* x = std::get_if<amqp::ConnectionTuneOk>(&m); x && state_ == State::kTuneOk)
    return OnTuneOk(*x);
  if (auto* x = std::get_if<amqp::ConnectionOpen>(&m); x && state_ == State::kOpen)
    return OnOpen(*x);
  if (const auto* close = std::get_if<amqp::ConnectionClose>(&m)) {
    if (close->reply_code != amqp::kReplySuccess)
      log::Warning("client closed AMQP connection " + session_.peer + " with " +
                   std::to_string(close->reply_code) + " " + close->reply_text);
    ReleaseChannels();
    Send(ChannelId(0), amqp::ConnectionCloseOk{});
    close_after_write_ = true;
    state_ = State::kClosing;
    Unadmit();
    return Status::OK();
  }
  if (auto* x = std::get_if<amqp::ConnectionUpdateSecret>(&m); x && state_ == State::kRunning) {
    WARREN_TRY(Authenticate("PLAIN", std::string(1, '\0') + session_.user + '\0' + x->new_secret));
    log::Info("connection " + session_.peer + " updated its secret: " + x->reason);
    Send(ChannelId(0), amqp::ConnectionUpdateSecretOk{});
    return Status::OK();
  }
  if (std::holds_alternative<amqp::ConnectionBlocked>(m) ||
      std::holds_alternative<amqp::ConnectionUnblocked>(m))
    return Status::OK();
  const std::string name = std::visit([](const auto& x) { return std::string(x.kName); }, m);
  return Refuse(amqp::kCommandInvalid, "unexpected method '" + name + "' on channel 0");
}

// The user's max-channels, over all of the user's connections.
Status Connection::CheckChannelLimit() {
  const meta::User* u = core_.store.state().FindUser(session_.user);
  const std::optional<int64_t> limit = u ? Core::Limit(u->limits, "max-channels") : std::nullopt;
  if (!core_.tally->OpenChannel(session_.user, limit))
    return Refuse(amqp::kNotAllowed, "number of channels opened for user '" + session_.user +
                                         "' has reached the maximum allowed user limit of (" +
                                         std::to_string(*limit) + ")");
  ++tallied_channels_;
  return Status::OK();
}

void Connection::ReleaseChannels() {
  for (auto& [id, ch] : channels_) ch->Release();
  channels_.clear();
  ChannelsClosed();
}

void Connection::ChannelsClosed() {
  if (int64_t(channels_.size()) >= tallied_channels_) return;
  core_.tally->ChannelsClosed(session_.user, tallied_channels_ - int64_t(channels_.size()));
  tallied_channels_ = int64_t(channels_.size());
}

Status Connection::HandleChannelMethod(ChannelId id, amqp::Method& m) {
  auto it = channels_.find(id.get());
  if (std::holds_alternative<amqp::ChannelOpen>(m)) {
    if (it != channels_.end())
      return Refuse(amqp::kChannelError, "second 'channel.open' seen");
    if (session_.channel_max != 0 && id.get() > session_.channel_max)
      return Refuse(amqp::kNotAllowed, "channel " + std::to_string(id.get()) +
                                           " exceeds the negotiated channel_max " +
                                           std::to_string(session_.channel_max));
    WARREN_TRY(CheckChannelLimit());
    channels_.emplace(id.get(), std::make_unique<Channel>(*this, id));
    Send(id, amqp::ChannelOpenOk{});
    return Status::OK();
  }
  if (it == channels_.end())
    return Refuse(amqp::kChannelError, "expected 'channel.open' on channel " + std::to_string(id.get()));
  Channel& ch = *it->second;
  if (std::holds_alternative<amqp::ChannelCloseOk>(m)) {
    if (ch.closing()) {
      channels_.erase(it);
      ChannelsClosed();
    }
    return Status::OK();
  }
  if (std::holds_alternative<amqp::ChannelClose>(m)) {
    ch.Release();
    channels_.erase(it);
    ChannelsClosed();
    Send(id, amqp::ChannelCloseOk{});
    return Status::OK();
  }
  if (ch.closing()) return Status::OK();
  if (!placed_ && core_.options.hand_over && MoveFor(ch, m)) return Status::OK();
  Status s = ch.OnMethod(m);
  if (!s.ok()) return ChannelError(ch, s, &m);
  return Status::OK();
}

Status Connection::ChannelError(Channel& ch, const Status& error, const amqp::Method* m) {
  const uint16_t code = amqp::ReplyCodeOf(error).value_or(amqp::kInternalError);
  if (amqp::ReplyCodeClass(code) != amqp::ErrorClass::kSoft) return error;  // closes the connection
  auto [class_id, method_id] = MethodIds(m);
  log::Warning("channel error on connection " + session_.peer + ", channel " +
               std::to_string(ch.id().get()) + ": " + error.message());
  ch.Release();
  ch.set_closing();
  Send(ch.id(), amqp::ChannelClose{code, error.message(), class_id, method_id});
  return Status::OK();
}

void Connection::ConnectionError(const Status& error, const amqp::Method* m) {
  uint16_t code = amqp::ReplyCodeOf(error).value_or(amqp::kInternalError);
  if (amqp::ReplyCodeClass(code) == amqp::ErrorClass::kSoft) code = amqp::kChannelError;
  std::string text = error.message();
  if (!amqp::ReplyCodeOf(error)) text = std::string(amqp::ReplyCodeText(code)) + " - " + text;
  else if (text.rfind(amqp::ReplyCodeText(code), 0) != 0)
    text = std::string(amqp::ReplyCodeText(code)) + " - " + text;
  log::Error("closing AMQP connection " + session_.peer + (session_.user.empty() ? "" : " (user '" + session_.user + "')") +
             ": " + text);
  auto [class_id, method_id] = MethodIds(m);
  if (std::exchange(moving_, false)) {
    // It closes here instead: the input held for the move no longer counts, and
    // close-ok must be read.
    suspended_ = false;
    held_.clear();
    held_bytes_.clear();
  }
  ReleaseChannels();
  Send(ChannelId(0), amqp::ConnectionClose{code, text, class_id, method_id});
  state_ = State::kClosing;
  Unadmit();
  // The client has a second to answer close-ok; the socket closes either way.
  heartbeat_timer_.expires_after(std::chrono::seconds(1));
  heartbeat_timer_.async_wait([self = shared_from_this()](std::error_code e) {
    if (!e) self->Shutdown();
  });
}

void Connection::CloseWith(uint16_t code, const std::string& text) {
  if (state_ == State::kDead || state_ == State::kClosing) return;
  if (state_ != State::kRunning) {
    Shutdown();
    return;
  }
  ConnectionError(Refuse(code, text), nullptr);
  Flush();
}

void Connection::ThrottleOn(Queue& q) {
  if (throttled_) return;
  // A connection that also consumes from the queue must keep reading its acks.
  for (const Consumer* c : q.consumers())
    if (c->channel->connection_id() == this) return;
  throttled_ = true;
  q.WhenDrained([weak = weak_from_this()] {
    auto self = weak.lock();
    if (!self || self->state_ == State::kDead) return;
    self->throttled_ = false;
    // Resumed from inside a queue operation: read once that has finished.
    asio::post(self->core_.io, [self] {
      if (!self->reading_ && self->CanRead()) self->Read();
    });
  });
}

bool Connection::CanRead() const {
  return state_ != State::kDead && !throttled_ && !alarm_blocked_ && !suspended_ &&
         out_.size() + sending_.size() < kInputPauseWater;
}

void Connection::AlarmChanged() {
  if (state_ != State::kRunning) return;
  if (core_.alarm) {
    // RabbitMQ blocks only connections that publish; consumers keep draining queues.
    if (!session_.published || alarm_blocked_) return;
    alarm_blocked_ = true;
    if (session_.blocked_notify) Send(ChannelId(0), amqp::ConnectionBlocked{core_.alarm_reason});
    log::Info("connection " + session_.peer + " blocked: " + core_.alarm_reason);
  } else {
    if (!alarm_blocked_) return;
    alarm_blocked_ = false;
    if (session_.blocked_notify) Send(ChannelId(0), amqp::ConnectionUnblocked{});
    log::Info("connection " + session_.peer + " unblocked");
    if (!reading_ && CanRead()) Read();
  }
  Flush();
}

void Connection::Abandon() {
  if (state_ == State::kDead) return;
  std::error_code ec;
  socket_.non_blocking(true, ec);
  if (!writing_ && !out_.empty()) socket_.write_some(asio::buffer(out_), ec);
  Shutdown();
}

void Connection::Send(ChannelId ch, const amqp::Method& m) {
  Status s = amqp::WriteMethodFrame(out_, ch, m, session_.frame_max);
  if (!s.ok()) log::Error("cannot encode a reply: " + s.message());
}

void Connection::ScheduleFlush() {
  if (flush_posted_ || writing_) return;
  flush_posted_ = true;
  asio::post(core_.io, [self = shared_from_this()] {
    self->flush_posted_ = false;
    self->Flush();
  });
}

void Connection::Flush() {
  if (writing_ || out_.empty() || state_ == State::kDead) return;
  writing_ = true;
  sent_since_tick_ = true;
  sending_.swap(out_);
  session_.send_oct += sending_.size();
  ++session_.send_cnt;
  asio::async_write(socket_, asio::buffer(sending_), [self = shared_from_this()](std::error_code ec, size_t) {
    self->writing_ = false;
    const bool was_blocked = self->sending_.size() + self->out_.size() > kWriteHighWater;
    self->sending_.clear();
    if (ec) {
      log::Warning("cannot write to AMQP connection " + self->session_.peer + ": " + ec.message());
      self->Shutdown();
      return;
    }
    if (self->close_after_write_ && self->out_.empty()) {
      self->Shutdown();
      return;
    }
    if (self->moving_) {
      self->Flush();
      self->MaybeHandOver();
      return;
    }
    if (was_blocked && !self->write_blocked())
      for (auto& [id, ch] : self->channels_) ch->Kick();
    self->Flush();
    if (!self->reading_ && self->CanRead()) self->Read();
  });
}

void Connection::Shutdown() {
  if (state_ == State::kDead) return;
  auto self = shared_from_this();  // the registry below may hold the last reference
  const bool was_open = state_ == State::kRunning || (vhost_ && state_ == State::kClosing);
  state_ = State::kDead;
  Unadmit();
  ReleaseChannels();
  if (vhost_) vhost_->OwnerGone(this);
  core_.connections.erase(this);
  if (was_open) {
    ++core_.counters.connections_closed;
    core_.Emit(plugin::EventKind::kConnectionClosed, vhost_ ? vhost_->name() : "", session_.peer, session_.user);
    log::Info("closing AMQP connection " + session_.peer + " (user '" + session_.user + "')");
  }
  heartbeat_timer_.cancel();
  std::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void Connection::StartHeartbeats() {
  heartbeat_timer_.cancel();
  if (session_.heartbeat == 0) return;
  // Two ticks per heartbeat interval: one sends, two silent intervals time out.
  heartbeat_timer_.expires_after(std::chrono::milliseconds(session_.heartbeat * 500));
  heartbeat_timer_.async_wait([self = shared_from_this()](std::error_code e) {
    if (!e && self->state_ != State::kDead) self->OnHeartbeatTick();
  });
}

void Connection::OnHeartbeatTick() {
  if (!sent_since_tick_) {
    amqp::WriteHeartbeat(out_);
    Flush();
  }
  sent_since_tick_ = false;
  missed_ticks_ = received_since_tick_ ? 0 : missed_ticks_ + 1;
  received_since_tick_ = false;
  if (missed_ticks_ >= 4) {
    log::Error("closing AMQP connection " + session_.peer + ": missed heartbeats from client, timeout: " +
               std::to_string(session_.heartbeat) + "s");
    Shutdown();
    return;
  }
  StartHeartbeats();
}

}  // namespace warren::broker
