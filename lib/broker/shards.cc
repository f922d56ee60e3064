#include "broker/shards.h"

#include <sys/socket.h>
#include <unistd.h>

#include <asio.hpp>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "base/log.h"
#include "meta/replica.h"
#include "meta/store.h"

namespace warren::broker {
namespace {

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

// A synchronous change waiting for the node's loop; answered once, by the loop or by
// the shards stopping.
struct Waiting {
  std::promise<Status> promise;
  std::once_flag once;
  void Answer(Status s) {
    std::call_once(once, [&] { promise.set_value(std::move(s)); });
  }
};

}  // namespace

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
  size_t next = 0;
  uint64_t first_seen_revision = 0;  // the store's revision shard 0 last re-read
  bool first_refresh_posted = false;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);  // on the node's loop
  std::mutex mu;
  bool stopping = false;                        // guarded by mu
  std::vector<std::shared_ptr<Waiting>> waiting;  // guarded by mu

  Impl(asio::io_context& io, meta::Store& store, BrokerOptions options, size_t count)
      : io(io), store(store), options(std::move(options)), view(store, count > 1) {}

  // Runs `task` on shard i's loop unless the shards are stopping.
  void ToShard(size_t i, std::function<void()> task) {
    std::lock_guard lock(mu);
    if (!stopping) asio::post(*shards[i]->loop, std::move(task));
  }

  // Runs `task` on the node's loop while the shards exist.
  void ToNode(std::function<void()> task) {
    asio::post(io, [alive = std::weak_ptr<bool>(alive), task = std::move(task)] {
      if (!alive.expired()) task();
    });
  }

  Status SubmitFromShard(const meta::json& command) {
    auto w = std::make_shared<Waiting>();
    {
      std::lock_guard lock(mu);
      if (stopping) return Status::Unavailable("the broker is stopping");
      waiting.push_back(w);
    }
    ToNode([this, w, command] { w->Answer(store.Submit(command)); });
    Status s = w->promise.get_future().get();
    std::lock_guard lock(mu);
    std::erase(waiting, w);
    return s;
  }

  meta::Replica::Forward ForwardFrom(size_t i) {
    meta::Replica::Forward f;
    f.async = [this, i](meta::json command, std::function<void(Status)> done) {
      ToNode([this, i, command = std::move(command), done = std::move(done)]() mutable {
        store.SubmitAsync(std::move(command), [this, i, done = std::move(done)](Status s) {
          ToShard(i, [done, s] { done(s); });
        });
      });
    };
    f.sync = [this](const meta::json& command) { return SubmitFromShard(command); };
    return f;
  }

  // Shard i's engine re-reads the metadata once its replica moved.
  void Refresh(Shard& sh) {
    sh.replica->Drain();
    if (!sh.engine || sh.replica->revision() == sh.seen_revision) return;
    sh.seen_revision = sh.replica->revision();
    sh.engine->MetadataChanged();
  }

  // Shard 0 re-reads the metadata after changes the other shards made (the node tells
  // it of its own).
  void RefreshFirst() {
    first_refresh_posted = false;
    Broker* engine = shards[0]->engine.get();
    if (!engine || store.revision() == first_seen_revision) return;
    first_seen_revision = store.revision();
    engine->MetadataChanged();
  }

  // Shard j's index when `holder` names another shard of this node.
  std::optional<size_t> Sibling(const std::string& holder) const {
    const std::string prefix = options.node_name + "/";
    if (holder == options.node_name) return 0;
    if (holder.rfind(prefix, 0) != 0) return std::nullopt;
    try {
      size_t j = std::stoul(holder.substr(prefix.size()));
      if (j < shards.size()) return j;
    } catch (const std::exception&) {
    }
    return std::nullopt;
  }

  BrokerOptions OptionsFor(size_t i) {
    BrokerOptions o = options;
    const std::string self = HolderName(options.node_name, i);
    if (o.cluster_name.empty()) o.cluster_name = options.node_name;
    o.node_name = self;
    if (i > 0) {
      const std::string sub = "/shard-" + std::to_string(i);
      if (!o.message_store_dir.empty()) o.message_store_dir += sub;
      if (!o.paging_dir.empty()) o.paging_dir += sub;
      o.members = nullptr;
      // Plugins run on the node's loop: their events go there, and their exchange
      // types serve shard 0 only.
      o.exchange_types = nullptr;
      if (options.on_event)
        o.on_event = [this](const plugin::Event& e) {
          ToNode([this, e] { options.on_event(e); });
        };
    }
    auto cluster_dial = i == 0 ? options.dial_peer : nullptr;
    o.dial_peer = [this, i, self, cluster_dial](const std::string& node,
                                                std::function<void(int, std::string)> done) {
      auto j = Sibling(node);
      if (!j) {
        if (cluster_dial) return cluster_dial(node, std::move(done));
        return asio::post(*shards[i]->loop, [done = std::move(done), node] {
          done(-1, "shard of node cannot reach member " + node);
        });
      }
      int fds[2];
      if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        const std::string why = std::string("socketpair: ") + std::strerror(errno);
        return asio::post(*shards[i]->loop, [done = std::move(done), why] { done(-1, why); });
      }
      ToShard(*j, [this, j = *j, self, fd = fds[1]] {
        if (shards[j]->engine) shards[j]->engine->AcceptPeer(self, fd);
        else ::close(fd);
      });
      asio::post(*shards[i]->loop, [done = std::move(done), fd = fds[0]] { done(fd, ""); });
    };
    return o;
  }
};

std::string Shards::HolderName(const std::string& node, size_t i) {
  return i == 0 ? node : node + "/" + std::to_string(i);
}

Shards::Shards(asio::io_context& io, meta::Store& store, BrokerOptions options, size_t count)
    : impl_(std::make_unique<Impl>(io, store, std::move(options), std::max<size_t>(count, 1))) {
  Impl& m = *impl_;
  const size_t n = std::max<size_t>(count, 1);
  for (size_t i = 0; i < n; ++i) {
    auto sh = std::make_unique<Shard>();
    sh->index = i;
    if (i == 0) {
      sh->loop = &io;
    } else {
      sh->own_loop = std::make_unique<asio::io_context>(1);
      sh->loop = sh->own_loop.get();
      sh->replica = std::make_unique<meta::Replica>(store.state(), true, m.ForwardFrom(i));
    }
    m.shards.push_back(std::move(sh));
  }
  if (n > 1) {
    store.set_observer([&m](const meta::Store::Change& c) {
      if (!std::exchange(m.first_refresh_posted, true)) m.ToNode([&m] { m.RefreshFirst(); });
      for (auto& sh : m.shards) {
        if (!sh->replica || !sh->replica->Push(c)) continue;
        m.ToShard(sh->index, [&m, raw = sh.get()] { m.Refresh(*raw); });
      }
    });
  }
  m.shards[0]->engine = Broker::Create(io, m.view, m.OptionsFor(0));
  m.first_seen_revision = store.revision();
  for (size_t i = 1; i < n; ++i) {
    Shard* sh = m.shards[i].get();
    asio::post(*sh->loop, [&m, sh] {
      sh->engine = Broker::Create(*sh->loop, *sh->replica, m.OptionsFor(sh->index));
      sh->seen_revision = sh->replica->revision();
      m.Refresh(*sh);
    });
    sh->thread = std::thread([sh] {
      auto guard = asio::make_work_guard(*sh->loop);
      sh->loop->run();
    });
  }
}

Shards::~Shards() {
  Impl& m = *impl_;
  {
    std::lock_guard lock(m.mu);
    for (size_t i = 1; i < m.shards.size(); ++i) {
      Shard* sh = m.shards[i].get();
      asio::post(*sh->loop, [sh] {
        sh->engine.reset();
        sh->loop->stop();
      });
    }
    m.stopping = true;
    // A shard waiting for the node's loop, which is here, is answered now.
    for (auto& w : m.waiting) w->Answer(Status::Unavailable("the broker is stopping"));
  }
  for (size_t i = 1; i < m.shards.size(); ++i) m.shards[i]->thread.join();
  if (m.shards.size() > 1) m.store.set_observer(nullptr);
  m.shards[0]->engine.reset();
  m.alive.reset();
}

size_t Shards::size() const { return impl_->shards.size(); }

void Shards::Post(size_t i, std::function<void(Broker&)> task) {
  Shard* sh = impl_->shards.at(i).get();
  impl_->ToShard(i, [sh, task = std::move(task)] {
    if (sh->engine) task(*sh->engine);
  });
}

Broker& Shards::first() { return *impl_->shards[0]->engine; }

void Shards::Accept(int fd) {
  Impl& m = *impl_;
  const size_t i = m.next++ % m.shards.size();
  if (i == 0) return first().Accept(fd);
  Post(i, [fd](Broker& b) { b.Accept(fd); });
}

}  // namespace warren::broker
