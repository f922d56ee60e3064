// Two shards in one process, one metadata store: a queue one shard holds is used from
// the other's connections, over the socketpair between their loops.
#include "broker/shards.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "auth/password.h"
#include "meta/store.h"
#include "perf/client.h"
#include "unit/store/temp_dir.h"

namespace warren::broker {
namespace {
using testing::TempDir;

// The node's loop on a thread of its own, with the shards made and ended on it.
class Node {
 public:
  Node(const std::string& dir, size_t shards) {
    meta::StoreOptions so;
    so.dir = dir + "/meta";
    so.initial_guest_hash = [] { return auth::HashPassword("guest"); };
    auto s = meta::Store::Open(so);
    REQUIRE(s.ok());
    store_ = std::move(s).value();
    thread_ = std::thread([this] {
      auto guard = asio::make_work_guard(io_);
      io_.run();
    });
    BrokerOptions o;
    o.node_name = "shards@test";
    o.message_store_dir = dir + "/msgs";
    o.loopback_users = {};
    OnLoop([&] { shards_ = std::make_unique<Shards>(io_, *store_, o, shards); });
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
    REQUIRE(::listen(listener_, 16) == 0);
    socklen_t len = sizeof(a);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~Node() {
    OnLoop([&] { shards_.reset(); });
    io_.stop();
    thread_.join();
    ::close(listener_);
  }

  void OnLoop(std::function<void()> f) {
    std::promise<void> done;
    asio::post(io_, [&] {
      f();
      done.set_value();
    });
    done.get_future().get();
  }

  // A client connection, handed to the next shard.
  std::unique_ptr<perf::Connection> Connect(const std::string& name) {
    int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port_);
    REQUIRE(::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
    int s = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    REQUIRE(s >= 0);
    OnLoop([&] { shards_->Accept(s); });
    perf::Uri uri;
    uri.host = "127.0.0.1";
    uri.port = port_;
    auto conn = perf::Connection::Handshake(c, uri, name);
    REQUIRE(conn.ok());
    return std::move(conn).value();
  }

  meta::Store& store() { return *store_; }

 private:
  asio::io_context io_;
  std::unique_ptr<meta::Store> store_;
  std::unique_ptr<Shards> shards_;
  std::thread thread_;
  int listener_ = -1;
  uint16_t port_ = 0;
};

void Publish(perf::Connection& c, const std::string& queue, const std::string& body) {
  amqp::BasicPublish publish{ExchangeName(""), queue, false};
  amqp::BasicProperties props;
  REQUIRE(amqp::WriteContent(c.out(), perf::kChannel, publish, props, body, c.frame_max()).ok());
  REQUIRE(c.Flush().ok());
}

// Waits for the publisher confirm of message `seq` (confirm mode on).
void AwaitConfirm(perf::Connection& c, uint64_t seq) {
  for (;;) {
    auto events = c.Poll(std::chrono::seconds(5));
    REQUIRE(events.ok());
    REQUIRE(!events->empty());
    for (const auto& e : *events) {
      const auto* m = std::get_if<amqp::MethodEvent>(&e);
      if (!m) continue;
      REQUIRE(std::holds_alternative<amqp::BasicAck>(m->method));
      if (std::get<amqp::BasicAck>(m->method).delivery_tag.get() >= seq) return;
    }
  }
}

// basic.get of a message that is there: its body.
std::string Get(perf::Connection& c, const std::string& queue) {
  auto r = c.Call(amqp::BasicGet{QueueName(queue), true});
  INFO("basic.get " << queue << ": " << (r.ok() ? "" : r.status().message()));
  REQUIRE(r.ok());
  REQUIRE(std::holds_alternative<amqp::BasicGetOk>(*r));
  std::string body;
  for (;;) {
    auto events = c.Poll(std::chrono::seconds(5));
    REQUIRE(events.ok());
    REQUIRE(!events->empty());
    for (const auto& e : *events) {
      if (const auto* h = std::get_if<amqp::HeaderEvent>(&e); h && h->body_size == 0) return body;
      if (const auto* b = std::get_if<amqp::BodyEvent>(&e)) {
        body += b->bytes;
        if (b->last) return body;
      }
    }
  }
}

uint32_t Declare(perf::Connection& c, const std::string& queue, bool passive = false) {
  amqp::QueueDeclare d;
  d.queue = QueueName(queue);
  d.passive = passive;
  auto r = c.Call(d);
  REQUIRE(r.ok());
  return std::get<amqp::QueueDeclareOk>(*r).message_count;
}

}  // namespace

TEST_CASE("shards: a queue held by one shard is used from another shard's connections",
          "[broker]") {
  TempDir dir;
  Node node(dir.path, 2);
  auto a = node.Connect("on-shard-0");
  auto b = node.Connect("on-shard-1");

  for (auto* c : {a.get(), b.get()}) REQUIRE(c->Call(amqp::ConfirmSelect{}).ok());

  // Each connection declares a queue first: its shard holds it, and the connection
  // stays there (a connection that first uses another shard's queue moves to it).
  Declare(*a, "held-by-0");
  CHECK(node.store().state().queues().at({"/", "held-by-0"}).node == "shards@test");
  Declare(*b, "held-by-1");
  CHECK(node.store().state().queues().at({"/", "held-by-1"}).node == "shards@test/1");
  // Shard 1 uses shard 0's queue through its stand-in.
  CHECK(Declare(*b, "held-by-0", true) == 0);  // passive, answered by shard 0
  for (int i = 0; i < 100; ++i) Publish(*b, "held-by-0", "m" + std::to_string(i));
  AwaitConfirm(*b, 100);  // confirmed by shard 0
  CHECK(Declare(*a, "held-by-0", true) == 100);
  // One client's publishes keep their order across the shards.
  for (int i = 0; i < 100; ++i) REQUIRE(Get(*a, "held-by-0") == "m" + std::to_string(i));

  // And shard 0 shard 1's.
  Publish(*a, "held-by-1", "to shard 1");
  AwaitConfirm(*a, 1);
  CHECK(Get(*b, "held-by-1") == "to shard 1");
  // And read from shard 0 through its stand-in.
  Publish(*b, "held-by-1", "read from shard 0");
  AwaitConfirm(*b, 101);
  CHECK(Get(*a, "held-by-1") == "read from shard 0");
  a->Close(std::chrono::seconds(2));
  b->Close(std::chrono::seconds(2));
}

}  // namespace warren::broker
