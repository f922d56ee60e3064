// Socket I/O of the load generator's client: connect, batched writes, large reads
// decoded in place, synchronous calls and the answers to a server's close.
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "perf/client.h"

namespace warren::perf {
namespace {

constexpr size_t kReadBufferSize = 256 * 1024;

std::string ErrnoText(int err) { return std::strerror(err); }

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const Uri& uri, std::string_view name) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(uri.port);
  if (int rc = getaddrinfo(uri.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return Status::Unavailable(
        fmt::format("cannot connect to {}: {}", uri.Endpoint(), gai_strerror(rc)));
  }
  int err = 0;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      err = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return Status::Unavailable(
        fmt::format("cannot connect to {}: {}", uri.Endpoint(), ErrnoText(err)));
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return Handshake(fd, uri, name);
}

Connection::~Connection() {
  if (int fd = fd_.exchange(-1); fd >= 0) close(fd);
}

void Connection::Abort() {
  if (int fd = fd_.load(); fd >= 0) shutdown(fd, SHUT_RDWR);
}

Status Connection::Lost(std::string_view what, int err) {
  if (err == 0) {
    return Status::Unavailable(
        fmt::format("connection to {} closed by the server{}", uri_.Endpoint(), what));
  }
  return Status::Unavailable(
      fmt::format("connection to {} lost{}: {}", uri_.Endpoint(), what, ErrnoText(err)));
}

Status Connection::Append(const amqp::Method& method) {
  return amqp::WriteMethodFrame(out_, kChannel, method, frame_max_);
}

Status Connection::Flush() {
  size_t done = 0;
  while (done < out_.size()) {
    const ssize_t n = send(fd_.load(), out_.data() + done, out_.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int err = n < 0 ? errno : 0;
    out_.clear();
    // The server may have said why before it closed: prefer its reason.
    for (int i = 0; i < 20 && !closed_; ++i) {
      auto events = Poll(std::chrono::milliseconds(50));
      if (!events.ok()) return events.status();
    }
    return Lost(" while sending", err);
  }
  out_.clear();
  return Status::OK();
}

Status Connection::ReadMore(std::chrono::milliseconds timeout, bool& got_bytes) {
  got_bytes = false;
  if (consumed_ > 0) {  // nothing borrows the decoded bytes any more
    std::memmove(in_.data(), in_.data() + consumed_, filled_ - consumed_);
    filled_ -= consumed_;
    consumed_ = 0;
  }
  const size_t want = std::max<size_t>(kReadBufferSize, size_t{frame_max_} + 2 * 4096);
  if (in_.size() < want) in_.resize(want);
  const int fd = fd_.load();
  if (timeout.count() != 0) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout.count() < 0 ? -1 : static_cast<int>(timeout.count()));
    if (ready == 0 || (ready < 0 && errno == EINTR)) return Status::OK();
    if (ready < 0) return Lost("", errno);
  }
  const ssize_t n = recv(fd, in_.data() + filled_, in_.size() - filled_, MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return Status::OK();
  if (n <= 0) {
    closed_ = true;
    return Lost("", n < 0 ? errno : 0);
  }
  filled_ += static_cast<size_t>(n);
  got_bytes = true;
  return Status::OK();
}

Status Connection::ServerClosed(uint16_t channel, uint16_t code, std::string_view text) {
  std::string reply;
  if (channel == 0) {
    closed_ = true;
    (void)amqp::WriteMethodFrame(reply, ChannelId(0), amqp::ConnectionCloseOk{}, frame_max_);
  } else {
    (void)amqp::WriteMethodFrame(reply, ChannelId(channel), amqp::ChannelCloseOk{}, frame_max_);
  }
  (void)send(fd_.load(), reply.data(), reply.size(), MSG_NOSIGNAL);
  const std::string message = fmt::format("server closed the {}: {} {}",
                                          channel == 0 ? "connection" : "channel", code, text);
  if (code == amqp::kAccessRefused) return Status::AccessRefused(message);
  return Status::BadInput(message);
}

Result<std::span<const amqp::FrameEvent>> Connection::Poll(std::chrono::milliseconds timeout) {
  if (next_event_ < events_.size()) {
    const size_t from = std::exchange(next_event_, events_.size());
    return std::span<const amqp::FrameEvent>(events_).subspan(from);
  }
  events_.clear();
  next_event_ = 0;
  bool got_bytes = false;
  WARREN_TRY(ReadMore(timeout, got_bytes));
  if (!got_bytes) return std::span<const amqp::FrameEvent>();
  auto used = decoder_.Decode(std::string_view(in_.data() + consumed_, filled_ - consumed_),
                              events_);
  if (!used.ok()) {
    return Status::Unavailable("protocol error from " + uri_.Endpoint() + ": " +
                               used.status().message());
  }
  consumed_ += *used;
  for (const amqp::FrameEvent& e : events_) {
    const auto* m = std::get_if<amqp::MethodEvent>(&e);
    if (m == nullptr) continue;
    if (const auto* c = std::get_if<amqp::ConnectionClose>(&m->method)) {
      return ServerClosed(0, c->reply_code, c->reply_text);
    }
    if (const auto* c = std::get_if<amqp::ChannelClose>(&m->method)) {
      return ServerClosed(m->channel.get(), c->reply_code, c->reply_text);
    }
  }
  next_event_ = events_.size();
  return std::span<const amqp::FrameEvent>(events_);
}

Result<amqp::Method> Connection::NextMethod() {
  for (;;) {
    if (next_event_ >= events_.size()) {
      WARREN_ASSIGN_OR_RETURN(auto fresh, Poll(std::chrono::milliseconds(-1)));
      next_event_ = events_.size() - fresh.size();  // hand them out one by one below
    }
    while (next_event_ < events_.size()) {
      auto* m = std::get_if<amqp::MethodEvent>(&events_[next_event_++]);
      if (m != nullptr) return std::move(m->method);
    }
  }
}

Result<amqp::Method> Connection::Call(const amqp::Method& request) {
  WARREN_TRY(Append(request));
  WARREN_TRY(Flush());
  WARREN_ASSIGN_OR_RETURN(amqp::Method reply, NextMethod());
  const amqp::MethodInfo& asked = amqp::InfoOf(request);
  const amqp::MethodInfo& got = amqp::InfoOf(reply);
  // Every synchronous reply in AMQP 0-9-1 is the next method of the same class.
  if (got.class_id != asked.class_id || got.method_id != asked.method_id + 1) {
    return Status::Unavailable(fmt::format("server answered {} with {}", asked.name, got.name));
  }
  return reply;
}

void Connection::Close(std::chrono::milliseconds timeout) {
  if (fd_.load() >= 0 && !closed_) {
    out_.clear();
    amqp::ConnectionClose close{amqp::kReplySuccess, "Goodbye"};
    if (amqp::WriteMethodFrame(out_, ChannelId(0), close, frame_max_).ok() && Flush().ok()) {
      const auto deadline = std::chrono::steady_clock::now() + timeout;
      bool done = false;
      while (!done && std::chrono::steady_clock::now() < deadline) {
        auto events = Poll(std::chrono::milliseconds(50));
        if (!events.ok()) break;
        for (const amqp::FrameEvent& e : *events) {
          const auto* m = std::get_if<amqp::MethodEvent>(&e);
          if (m != nullptr && std::holds_alternative<amqp::ConnectionCloseOk>(m->method)) {
            done = true;
          }
        }
      }
    }
  }
  if (int fd = fd_.exchange(-1); fd >= 0) close(fd);
}

}  // namespace warren::perf
