#include "broker/broker.h"
#include "broker/broker_impl.h"

#include <asio.hpp>
#include <algorithm>
#include <random>

#include "amqp/spec.h"
#include "base/log.h"
#include "base/node_env.h"
#include "broker/connection.h"
#include "broker/core.h"
#include "broker/remote_home.h"
#include "meta/view.h"

namespace warren::broker {

Vhost* Core::FindVhost(const std::string& name) {
  auto it = vhosts.find(name);
  if (it != vhosts.end()) return it->second.get();
  if (!store.state().FindVhost(name)) return nullptr;
  auto v = std::make_unique<Vhost>(name, &Core::NowMs);
  v->set_consumer_gone([](Consumer& c) { c.channel->ConsumerGone(c); });
  // In a cluster a durable queue belongs to the member that declared it; the others
  // know of it but do not hold it (Vhost::Restore).
  // What the store records of a change: nothing for a transient one on a standalone
  // node; in a cluster a declared queue names this member.
  auto recorded = [this](const nlohmann::json& c) -> std::optional<nlohmann::json> {
    if (!store.replicated() && c.contains(kTransient)) return std::nullopt;
    if (!store.replicated() || c.value("op", "") != "queue.declare") return c;
    nlohmann::json owned = c;
    owned["node"] = options.node_name;
    return owned;
  };
  v->set_durability(
      [this, recorded](const nlohmann::json& c) {
        auto r = recorded(c);
        return r ? store.Submit(*r) : Status::OK();
      },
      [this, recorded](nlohmann::json c, Vhost::Committed done) {
        auto r = recorded(c);
        if (!r) return done(Status::OK());
        store.SubmitAsync(std::move(*r), std::move(done));
      },
      messages.get());
  v->set_local_node(options.node_name);
  v->set_home_of([this](const std::string& node) { return Home(node); });
  v->set_replicated([this] { return store.replicated(); });
  v->set_queue_record([this, name](const std::string& queue) -> const meta::Queue* {
    const auto& qs = store.state().queues();
    auto it = qs.find({name, queue});
    return it == qs.end() ? nullptr : &it->second;
  });
  v->set_exchange_types(options.exchange_types);
  v->set_paging(&paging);
  v->set_queue_limit([this, name]() -> std::optional<int64_t> {
    const meta::Vhost* m = store.state().FindVhost(name);
    return m ? Core::Limit(m->limits, "max-queues") : std::nullopt;
  });
  if (options.on_event)
    v->set_on_event([this, name](plugin::EventKind k, const std::string& n) { Emit(k, name, n); });
  Vhost* raw = v.get();
  vhosts.emplace(name, std::move(v));
  return raw;
}

RemoteHome* Core::Home(const std::string& node) {
  auto& h = homes[node];
  if (!h) h = std::make_unique<RemoteHome>(*this, node);
  return h.get();
}

bool Core::Reaches(const std::string& holder) const {
  if (homes.count(holder) || (options.is_shard && options.is_shard(holder))) return true;
  if (!options.members) return false;
  const auto all = options.members();
  return std::find(all.begin(), all.end(), HolderNode(holder)) != all.end();
}

std::string Core::PlaceQueue(const std::string& locator) {
  const std::string& self = options.node_name;
  if (locator == "client-local" || !options.members) return self;
  // This node's queues go to the declaring shard; another member's to its first.
  const std::string self_node = HolderNode(self);
  std::vector<std::string> candidates;
  for (const auto& m : options.members()) {
    if (m == self_node) candidates.push_back(self);
    else if (!Home(m)->known_down()) candidates.push_back(m);
  }
  if (candidates.size() <= 1) return self;
  if (locator == "random") {
    static std::mt19937_64 rng{std::random_device{}()};
    return candidates[rng() % candidates.size()];
  }
  // min-masters: the member holding the fewest queues (this one on a tie).
  std::map<std::string, size_t> held;
  for (const auto& m : candidates) held[m] = 0;
  for (const auto& [key, q] : store.state().queues()) {
    const std::string node = q.node.empty() ? self_node : HolderNode(q.node);
    if (auto it = held.find(node == self_node ? self : node); it != held.end()) ++it->second;
  }
  std::string best = self;
  for (const auto& [m, n] : held)
    if (n < held[best]) best = m;
  return best;
}

policy::PolicySet PolicySetOf(const std::map<std::pair<std::string, std::string>, meta::Policy>& all,
                              const std::string& vhost) {
  std::vector<policy::Policy> out;
  for (const auto& [key, p] : all) {
    if (key.first != vhost) continue;
    policy::Policy q;
    q.name = p.name;
    q.pattern = p.pattern;
    q.apply_to = policy::ParseApplyTo(p.apply_to).value_or(policy::ApplyTo::kAll);
    q.priority = p.priority;
    q.definition = p.definition;
    out.push_back(std::move(q));
  }
  auto set = policy::PolicySet::Create(std::move(out));
  if (!set.ok()) {
    log::Warning("ignoring the policies of vhost '" + vhost + "': " + set.status().message());
    return policy::PolicySet();
  }
  return std::move(set).value();
}

std::unique_ptr<Broker> Broker::Create(asio::io_context& io, meta::View& store,
                                       BrokerOptions options) {
  return std::make_unique<BrokerImpl>(io, store, std::move(options));
}

}  // namespace warren::broker
