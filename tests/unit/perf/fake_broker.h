// An in-process AMQP 0-9-1 peer for lib/perf's tests: listens on 127.0.0.1, speaks
// just enough of the protocol for warren-perf (handshake, declares, qos, confirms, one
// queue with round-robin consumers, acks) and records what it saw. One thread per
// connection; observations are guarded by a mutex.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "amqp/frame.h"

namespace warren::perf::testing {

class FakeBroker {
 public:
  static constexpr uint32_t kFrameMax = 8192;  // small, so bodies span frames

  struct Seen {
    std::string user, password, product, vhost;
    std::vector<std::string> methods;  // every method received, in order
    amqp::QueueDeclare declare;
    uint16_t prefetch = 0;
    uint64_t published = 0, acks = 0, multiple_acks = 0;
  };

  FakeBroker() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    (void)bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len);
    (void)listen(listen_fd_, 16);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~FakeBroker() {
    shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& c : conns_) shutdown(c->fd, SHUT_RDWR);
    }
    for (auto& t : threads_) t.join();
    for (auto& c : conns_) close(c->fd);
    close(listen_fd_);
  }

  std::string Uri(std::string password = "guest") const {
    return "amqp://guest:" + password + "@127.0.0.1:" + std::to_string(port_) + "/%2F";
  }
  Seen seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  struct Conn {
    int fd = -1;
    std::mutex write_mu;
    uint64_t next_tag = 1;  // delivery tags, under write_mu
    bool consuming = false;
  };

  void Accept() {
    for (;;) {
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      std::lock_guard<std::mutex> lock(mu_);
      conns_.push_back(std::make_unique<Conn>());
      conns_.back()->fd = fd;
      threads_.emplace_back([this, c = conns_.back().get()] { Serve(*c); });
    }
  }

  static void Send(Conn& c, const std::string& bytes) {
    std::lock_guard<std::mutex> lock(c.write_mu);
    (void)::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  }
  static void Reply(Conn& c, ChannelId ch, const amqp::Method& m) {
    std::string out;
    (void)amqp::WriteMethodFrame(out, ch, m, 0);
    Send(c, out);
  }

  // Hands a published message to the next consumer, round robin, or keeps it.
  void Route(const std::string& body) {
    std::lock_guard<std::mutex> lock(mu_);
    ++seen_.published;
    std::vector<Conn*> consumers;
    for (auto& c : conns_) {
      if (c->consuming) consumers.push_back(c.get());
    }
    if (consumers.empty()) return;
    Conn& to = *consumers[next_consumer_++ % consumers.size()];
    std::lock_guard<std::mutex> write(to.write_mu);
    std::string out;
    amqp::BasicDeliver deliver{ConsumerTag("ctag"), DeliveryTag(to.next_tag++), false,
                               ExchangeName(""), "rk"};
    (void)amqp::WriteContent(out, ChannelId(1), deliver, {}, body, kFrameMax);
    (void)::send(to.fd, out.data(), out.size(), MSG_NOSIGNAL);
  }

  void Serve(Conn& c) {
    char header[8];
    if (recv(c.fd, header, 8, MSG_WAITALL) != 8) return;
    amqp::ConnectionStart start{0, 9, {}, "PLAIN AMQPLAIN", "en_US"};
    Reply(c, ChannelId(0), start);
    amqp::FrameDecoder decoder(0);
    std::string in, body;
    std::vector<amqp::FrameEvent> events;
    bool confirming = false;
    uint64_t publish_seq = 0;
    char buf[65536];
    for (;;) {
      const ssize_t n = recv(c.fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      in.append(buf, static_cast<size_t>(n));
      events.clear();
      auto used = decoder.Decode(in, events);
      if (!used.ok()) break;
      std::string acks;
      for (const amqp::FrameEvent& e : events) {
        if (const auto* b = std::get_if<amqp::BodyEvent>(&e)) {
          body.append(b->bytes);
          if (b->last) Route(std::exchange(body, {}));
          if (b->last && confirming) {
            (void)amqp::WriteMethodFrame(acks, ChannelId(1),
                                         amqp::BasicAck{DeliveryTag(++publish_seq), false}, 0);
          }
          continue;
        }
        const auto* m = std::get_if<amqp::MethodEvent>(&e);
        if (m == nullptr) continue;
        if (!Handle(c, m->channel, m->method, confirming)) return;
      }
      if (!acks.empty()) Send(c, acks);
      in.erase(0, *used);
    }
  }

  // Records and answers one method; false once the connection is closed.
  bool Handle(Conn& c, ChannelId ch, const amqp::Method& method, bool& confirming) {
    std::unique_lock<std::mutex> lock(mu_);
    seen_.methods.emplace_back(amqp::InfoOf(method).name);
    if (const auto* ok = std::get_if<amqp::ConnectionStartOk>(&method)) {
      const std::string& r = ok->response;  // "\0user\0password"
      seen_.user = r.substr(1, r.find('\0', 1) - 1);
      seen_.password = r.substr(r.find('\0', 1) + 1);
      const bool refused = seen_.password != "guest";
      if (const auto* p = ok->client_properties.Find("product")) {
        seen_.product = std::get<std::string>(p->value);
      }
      lock.unlock();
      if (refused) {
        Reply(c, ChannelId(0), amqp::ConnectionClose{403, "ACCESS_REFUSED - Login was refused"});
        return true;
      }
      Reply(c, ChannelId(0), amqp::ConnectionTune{2047, kFrameMax, 60});
    } else if (const auto* open = std::get_if<amqp::ConnectionOpen>(&method)) {
      seen_.vhost = open->virtual_host.get();
      Reply(c, ch, amqp::ConnectionOpenOk{});
    } else if (std::holds_alternative<amqp::ChannelOpen>(method)) {
      Reply(c, ch, amqp::ChannelOpenOk{});
    } else if (const auto* declare = std::get_if<amqp::QueueDeclare>(&method)) {
      seen_.declare = *declare;
      const std::string name = declare->queue.get().empty() ? "amq.gen-1" : declare->queue.get();
      Reply(c, ch, amqp::QueueDeclareOk{QueueName(name), 0, 0});
    } else if (std::holds_alternative<amqp::ExchangeDeclare>(method)) {
      Reply(c, ch, amqp::ExchangeDeclareOk{});
    } else if (std::holds_alternative<amqp::QueueBind>(method)) {
      Reply(c, ch, amqp::QueueBindOk{});
    } else if (const auto* qos = std::get_if<amqp::BasicQos>(&method)) {
      seen_.prefetch = qos->prefetch_count;
      Reply(c, ch, amqp::BasicQosOk{});
    } else if (std::holds_alternative<amqp::ConfirmSelect>(method)) {
      confirming = true;
      Reply(c, ch, amqp::ConfirmSelectOk{});
    } else if (std::holds_alternative<amqp::BasicConsume>(method)) {
      Reply(c, ch, amqp::BasicConsumeOk{ConsumerTag("ctag")});
      c.consuming = true;
    } else if (const auto* ack = std::get_if<amqp::BasicAck>(&method)) {
      ++seen_.acks;
      if (ack->multiple) ++seen_.multiple_acks;
    } else if (std::holds_alternative<amqp::ConnectionClose>(method)) {
      c.consuming = false;
      lock.unlock();
      Reply(c, ch, amqp::ConnectionCloseOk{});
      return false;
    }
    return true;
  }

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread acceptor_;
  std::mutex mu_;  // guards conns_, threads_, seen_, next_consumer_ and Conn::consuming
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<std::thread> threads_;
  Seen seen_;
  size_t next_consumer_ = 0;
};

}  // namespace warren::perf::testing
