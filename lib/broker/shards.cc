#include "broker/shards.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "base/fiber.h"
#include "base/log.h"
#include "base/node_env.h"
#include "broker/shards_impl.h"

namespace warren::broker {

bool Shards::Impl::ToShard(size_t i, std::function<void()> task) {
  std::lock_guard lock(mu);
  if (stopping) return false;
  // Shard 0's loop is the node's, which outlives the shards: a task queued there
  // must not run once they are gone. The other loops end with the shards.
  if (i == 0) ToNode(std::move(task));
  else asio::post(*shards[i]->loop, std::move(task));
  return true;
}

void Shards::Impl::GiveSocket(size_t i, int fd, std::function<void(Broker&, int)> use) {
  Shard* sh = shards[i].get();
  if (!ToShard(i, [sh, fd, use = std::move(use)] {
        if (sh->engine) use(*sh->engine, fd);
        else ::close(fd);
      }))
    ::close(fd);
}

void Shards::Impl::ToNode(std::function<void()> task) {
  asio::post(io, [alive = std::weak_ptr<bool>(alive), task = std::move(task)] {
    if (!alive.expired()) task();
  });
}

Status Shards::Impl::SubmitFromShard(const meta::json& command) {
  auto answer = std::make_shared<std::promise<Status>>();
  auto future = answer->get_future();
  {
    std::lock_guard lock(mu);
    if (stopping) return Status::Unavailable("the broker is stopping");
    requests.push_back({command, answer});
  }
  cv.notify_all();
  ToNode([this] { ServeRequests(); });
  return future.get();
}

void Shards::Impl::ServeRequests() {
  std::unique_lock lock(mu);
  while (!requests.empty()) {
    Request r = std::move(requests.front());
    requests.pop_front();
    lock.unlock();
    r.answer->set_value(store.Submit(r.command));
    lock.lock();
  }
}

void Shards::Impl::RunOn(size_t i, const std::function<void(Broker&)>& f) {
  Shard* sh = shards.at(i).get();
  if (i == 0) {
    if (sh->engine) f(*sh->engine);
    return;
  }
  // On the shard, f runs on a fiber of its own: what it waits for there (a commit)
  // holds up neither loop. `finished` runs on the shard's thread when f is done.
  auto run = [sh, &f](std::function<void()> finished) {
    return [sh, &f, finished = std::move(finished)] {
      fiber::Start([sh, &f, finished] {
        try {
          if (sh->engine) f(*sh->engine);
        } catch (const std::exception& e) {
          log::Error(std::string("a request to a shard failed: ") + e.what());
        }
        finished();
      });
    };
  };
  if (fiber::InFiber()) {
    fiber::Wait([&](fiber::Resume resume) {
      if (!ToShard(i, run([this, resume] { ToNode(resume); }))) resume();
    });
    return;
  }
  bool done = false;  // guarded by mu
  const bool posted = ToShard(i, run([this, &done] {
    std::lock_guard lock(mu);
    done = true;
    cv.notify_all();
  }));
  if (!posted) return;
  std::unique_lock lock(mu);
  while (!done) {
    if (requests.empty()) {
      cv.wait(lock);
      continue;
    }
    // The shard may be waiting for this loop: its request is answered here.
    lock.unlock();
    ServeRequests();
    lock.lock();
  }
}

meta::Replica::Forward Shards::Impl::ForwardFrom(size_t i) {
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

void Shards::Impl::Refresh(Shard& sh) {
  sh.replica->Drain();
  if (!sh.engine || sh.replica->revision() == sh.seen_revision) return;
  sh.seen_revision = sh.replica->revision();
  sh.engine->MetadataChanged();
}

void Shards::Impl::RefreshFirst() {
  first_refresh_posted = false;
  Broker* engine = shards[0]->engine.get();
  if (!engine || store.revision() == first_seen_revision) return;
  first_seen_revision = store.revision();
  engine->MetadataChanged();
}

std::optional<size_t> Shards::Impl::Sibling(const std::string& holder) const {
  auto j = HolderShard(holder, options.node_name);
  return j && *j < shards.size() ? j : std::nullopt;
}

void Shards::Impl::CopyMembers() {
  if (!options.members || shards.size() == 1) return;
  auto fresh = options.members();
  std::lock_guard lock(mu);
  members = std::move(fresh);
}

std::vector<std::string> Shards::Impl::Members() {
  std::lock_guard lock(mu);
  return members;
}

BrokerOptions Shards::Impl::OptionsFor(size_t i) {
  BrokerOptions o = options;
  const std::string self = HolderName(options.node_name, i);
  if (o.cluster_name.empty()) o.cluster_name = options.node_name;
  o.node_name = self;
  if (i > 0) {
    // Beside shard 0's, not inside: each shard empties its page directory at start.
    const std::string sub = "." + std::to_string(i);
    if (!o.message_store_dir.empty()) o.message_store_dir += sub;
    if (!o.paging_dir.empty()) o.paging_dir += sub;
    // The node's member list is read on its loop: this shard reads a copy.
    if (options.members) o.members = [this] { return Members(); };
    // Plugins run on the node's loop: their events go there.
    if (options.on_event)
      o.on_event = [this](const plugin::Event& e) { ToNode([this, e] { options.on_event(e); }); };
  }
  o.tally = tally;
  o.is_shard = [this](const std::string& holder) { return Sibling(holder).has_value(); };
  o.hand_over = [this](const std::string& holder, std::shared_ptr<Handover> h) {
    // Without such a shard (or once the shards stop) the handover is dropped, and with
    // it the socket.
    const size_t j = Sibling(holder).value_or(0);
    ToShard(j, [this, j, h = std::move(h)] {
      if (shards[j]->engine) shards[j]->engine->Adopt(h);
    });
  };
  o.dial_peer = [this, i, self](const std::string&, const std::string& to,
                                std::function<void(int, std::string)> done) {
    auto j = Sibling(to);
    if (!j) {
      // Another member (or a shard of one): the node dials, on its loop, and the link
      // comes back to this shard's.
      if (!options.dial_peer)
        return asio::post(*shards[i]->loop, [done = std::move(done), to] {
          done(-1, "this node is not clustered: " + to + " is out of reach");
        });
      if (i == 0) return options.dial_peer(self, to, std::move(done));
      return ToNode([this, i, self, to, done = std::move(done)]() mutable {
        options.dial_peer(self, to, [this, i, done = std::move(done)](int fd, std::string why) mutable {
          if (!ToShard(i, [done = std::move(done), fd, why] { done(fd, why); }) && fd >= 0)
            ::close(fd);
        });
      });
    }
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      const std::string why = std::string("socketpair: ") + std::strerror(errno);
      return asio::post(*shards[i]->loop, [done = std::move(done), why] { done(-1, why); });
    }
    GiveSocket(*j, fds[1], [self](Broker& b, int fd) { b.AcceptPeer(self, fd); });
    asio::post(*shards[i]->loop, [done = std::move(done), fd = fds[0]] { done(fd, ""); });
  };
  return o;
}

size_t Shards::Needed(const meta::Store& store, const std::string& node) {
  size_t needed = 0;
  for (const auto& [key, q] : store.state().queues())
    if (auto j = HolderShard(q.node, node); j && q.durable) needed = std::max(needed, *j + 1);
  return needed;
}

Status Shards::Prepare(meta::Store& store, const std::string& node, size_t count) {
  // The shard a holder name of this node names, if beyond `count`.
  auto beyond = [&](const std::string& holder) -> std::optional<size_t> {
    auto j = HolderShard(holder, node);
    return j && *j >= count ? j : std::nullopt;
  };
  if (const size_t needed = Needed(store, node); needed > count) {
    std::string example;
    for (const auto& [key, q] : store.state().queues())
      if (q.durable && HolderShard(q.node, node) == needed - 1)
        example = "queue '" + q.name + "' in vhost '" + q.vhost + "'";
    return Status::Precondition("durable " + example + " is held by shard " +
                                    std::to_string(needed - 1) + ", which warren.shards: " +
                                    std::to_string(count) +
                                    " does not start; set warren.shards to at least " +
                                    std::to_string(needed) + " to serve its messages",
                                "shards");
  }
  std::vector<meta::json> stale;
  for (const auto& [key, q] : store.state().queues())
    if (!q.durable && beyond(q.node))
      stale.push_back({{"op", "queue.delete"}, {"vhost", q.vhost}, {"name", q.name}});
  for (const auto& [key, x] : store.state().exchanges())
    if (!x.durable && beyond(x.node))
      stale.push_back({{"op", "exchange.delete"}, {"vhost", x.vhost}, {"name", x.name}});
  for (const auto& c : stale)
    if (Status s = store.Submit(c); !s.ok()) return s;
  return Status::OK();
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
  m.CopyMembers();
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
    for (auto& r : m.requests) r.answer->set_value(Status::Unavailable("the broker is stopping"));
    m.requests.clear();
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

void Shards::Adopt(std::shared_ptr<Handover> connection) { first().Adopt(std::move(connection)); }

void Shards::Accept(int fd) {
  Impl& m = *impl_;
  const size_t i = m.next++ % m.shards.size();
  if (i == 0) return first().Accept(fd);
  m.GiveSocket(i, fd, [](Broker& b, int fd) { b.Accept(fd); });
}

}  // namespace warren::broker
