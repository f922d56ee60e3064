// The shards' internals, shared by shards.cc (the shards' lives, their metadata and
// their links) and shards_admin.cc (what the node asks of all of them). Internal to
// lib/broker.
#pragma once

#include <asio.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "broker/shards.h"
#include "broker/tally.h"
#include "meta/replica.h"
#include "meta/store.h"

namespace warren::broker {

// The store as shard 0 reads it: with other shards, its commands are shared as a
// cluster's are (transient entities recorded, queues naming their holder).
class SharedStore : public meta::View {
 public:
  SharedStore(meta::Store& store, bool shared) : store_(store), shared_(shared) {}
  const meta::State& state() const override { return store_.state(); }
  uint64_t revision() const override { return store_.revision(); }
  bool replicated() const override { return shared_ || store_.replicated(); }
  Status Submit(const meta::json& c) override { return store_.Submit(c); }
  void SubmitAsync(meta::json c, std::function<void(Status)> done) override {
    store_.SubmitAsync(std::move(c), std::move(done));
  }

 private:
  meta::Store& store_;
  bool shared_;
};

struct Shard {
  size_t index = 0;
  asio::io_context* loop = nullptr;
  std::unique_ptr<asio::io_context> own_loop;  // shards after the first
  std::unique_ptr<meta::Replica> replica;
  std::unique_ptr<Broker> engine;  // created and destroyed on the shard's loop
  uint64_t seen_revision = 0;      // the replica's revision the engine last re-read
  std::thread thread;
};

struct Shards::Impl {
  asio::io_context& io;
  meta::Store& store;
  BrokerOptions options;
  SharedStore view;
  std::vector<std::unique_ptr<Shard>> shards;
  std::shared_ptr<Tally> tally = std::make_shared<Tally>();  // limits, node-wide
  size_t next = 0;
  uint64_t first_seen_revision = 0;  // the store's revision shard 0 last re-read
  bool first_refresh_posted = false;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);  // on the node's loop

  // A shard's synchronous metadata change, waiting for the node's loop; answered once,
  // by the loop or by the shards stopping.
  struct Request {
    meta::json command;
    std::shared_ptr<std::promise<Status>> answer;
  };
  std::mutex mu;
  std::condition_variable cv;     // a request came, or a shard finished a task
  bool stopping = false;          // guarded by mu
  std::deque<Request> requests;   // guarded by mu
  // The node's cluster members as of the last metadata change, for the other shards.
  std::vector<std::string> members;  // guarded by mu

  Impl(asio::io_context& io, meta::Store& store, BrokerOptions options, size_t count)
      : io(io), store(store), options(std::move(options)), view(store, count > 1) {}

  // Runs `task` on shard i's loop unless the shards are stopping; whether it will run.
  bool ToShard(size_t i, std::function<void()> task);
  // Hands socket `fd` to shard i's engine with use(engine, fd), on the shard's loop;
  // the socket is closed if the shard or its engine is gone.
  void GiveSocket(size_t i, int fd, std::function<void(Broker&, int)> use);
  // Runs `task` on the node's loop while the shards exist.
  void ToNode(std::function<void()> task);
  // From shard threads: a change made on the node's loop, waited for.
  Status SubmitFromShard(const meta::json& command);
  // On the node's loop: answers the shards' waiting requests.
  void ServeRequests();
  meta::Replica::Forward ForwardFrom(size_t i);
  void Refresh(Shard& sh);
  void RefreshFirst();
  std::optional<size_t> Sibling(const std::string& holder) const;
  BrokerOptions OptionsFor(size_t i);
  // On the node's loop: copies the member list for the other shards.
  void CopyMembers();
  // From any thread: that copy.
  std::vector<std::string> Members();

  // On the node's loop: runs f(engine) on shard i and returns once it ran. A fiber
  // waits; outside one, the loop blocks, answering the shards' requests meanwhile.
  void RunOn(size_t i, const std::function<void(Broker&)>& f);
};

}  // namespace warren::broker
