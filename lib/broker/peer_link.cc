#include "broker/peer_link.h"

#include <cstring>

#include "base/log.h"

namespace warren::broker {
namespace {

constexpr size_t kReadBuffer = 256 << 10;

asio::ip::tcp::socket Adopt(asio::io_context& io, int fd) {
  asio::ip::tcp::socket s(io);
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::error_code ec;
  s.assign(addr.ss_family == AF_INET6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), fd, ec);
  if (ec) ::close(fd);
  else s.set_option(asio::ip::tcp::no_delay(true), ec);
  return s;
}

}  // namespace

PeerLink::PeerLink(asio::io_context& io, int fd, std::string peer)
    : socket_(Adopt(io, fd)), peer_(std::move(peer)) {}

void PeerLink::Start(Handlers h) {
  h_ = std::move(h);
  in_.resize(kReadBuffer);
  if (!socket_.is_open()) {
    auto self = shared_from_this();
    asio::post(socket_.get_executor(), [self] { self->End(Status::Unavailable("bad socket")); });
    return;
  }
  Read();
}

void PeerLink::Detach() {
  h_ = Handlers();
  End(Status::OK());
}

void PeerLink::Read() {
  if (closed_) return;
  if (in_len_ == in_.size()) in_.resize(in_.size() * 2);  // one frame larger than the buffer
  socket_.async_read_some(
      asio::buffer(in_.data() + in_len_, in_.size() - in_len_),
      [self = shared_from_this()](std::error_code ec, size_t n) {
        if (self->closed_) return;
        if (ec) {
          self->End(Status::Unavailable("the link to " + self->peer_ + " closed: " + ec.message()));
          return;
        }
        self->in_len_ += n;
        size_t used = 0;
        while (!self->closed_) {
          auto next = peer::NextFrame({self->in_.data() + used, self->in_len_ - used});
          if (!next.ok()) {
            log::Warning("peer link to " + self->peer_ + ": " + next.status().message());
            self->End(next.status());
            return;
          }
          if (!*next) break;
          used += (*next)->second;
          if (!self->h_.frame) continue;
          Status s = self->h_.frame((*next)->first);
          if (!s.ok()) {
            log::Warning("peer link to " + self->peer_ + ": " + s.message());
            self->End(s);
            return;
          }
        }
        if (self->closed_) return;
        std::memmove(self->in_.data(), self->in_.data() + used, self->in_len_ - used);
        self->in_len_ -= used;
        if (self->h_.batch_end) self->h_.batch_end();
        self->Flush();
        self->Read();
      });
}

void PeerLink::ScheduleFlush() {
  if (flush_posted_ || writing_ || closed_) return;
  flush_posted_ = true;
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->flush_posted_ = false;
    self->Flush();
  });
}

void PeerLink::Flush() {
  if (writing_ || out_.empty() || closed_) return;
  writing_ = true;
  sending_.swap(out_);
  asio::async_write(socket_, asio::buffer(sending_), [self = shared_from_this()](std::error_code ec, size_t) {
    self->writing_ = false;
    const bool was_blocked = self->write_blocked();
    self->sending_.clear();
    if (self->closed_) return;
    if (ec) {
      self->End(Status::Unavailable("cannot write to the link to " + self->peer_ + ": " + ec.message()));
      return;
    }
    self->Flush();
    if (was_blocked && !self->write_blocked() && self->h_.drained) self->h_.drained();
  });
}

void PeerLink::End(const Status& why) {
  if (closed_) return;
  closed_ = true;
  std::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  auto closed = std::move(h_.closed);
  h_ = Handlers();
  if (closed) closed(why);
}

}  // namespace warren::broker
