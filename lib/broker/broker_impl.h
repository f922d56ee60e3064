// The broker's implementation class, shared by broker.cc (lifecycle, connections,
// metadata) and admin.cc (what the admin service lists and changes). Internal to
// lib/broker.
#pragma once

#include <array>
#include <asio.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "amqp/spec.h"
#include "base/log.h"
#include "base/node_env.h"
#include "broker/broker.h"
#include "broker/connection.h"
#include "broker/core.h"
#include "broker/home_session.h"
#include "broker/peer_link.h"
#include "broker/remote_home.h"
#include "meta/view.h"

namespace warren::broker {

// The policies of one vhost as the policy library takes them.
policy::PolicySet PolicySetOf(const std::map<std::pair<std::string, std::string>, meta::Policy>& all,
                              const std::string& vhost);

class BrokerImpl : public Broker {
 public:
  BrokerImpl(asio::io_context& io, meta::View& store, BrokerOptions options)
      : core_{io, store, std::move(options), {}, nullptr, {}, {}, false}, tick_(io) {
    core_.tally = core_.options.tally ? core_.options.tally : std::make_shared<Tally>();
    PreparePaging();
    if (Status s = core_.Restore(); !s.ok()) log::Error(s.message());
    MetadataChanged();
    ScheduleTick();
  }

  ~BrokerImpl() override {
    tick_.cancel();
    CloseAll("shutdown");
    // Handlers still queued on the io_context must find every connection dead, not a
    // broker that is gone.
    std::vector<std::shared_ptr<Connection>> all;
    for (auto& [raw, c] : core_.connections) all.push_back(c);
    for (auto& c : all) c->Abandon();
    core_.SyncMessages();
  }

  void Accept(int fd) override {
    if (auto c = ConnectionOn(fd)) c->Start();
  }

  void Adopt(std::shared_ptr<Handover> h) override {
    if (auto c = ConnectionOn(std::exchange(h->fd, -1))) c->Adopt(*h);
  }

  // A connection on client socket `fd`, which it owns; null (the socket closed) when
  // the socket cannot be used.
  std::shared_ptr<Connection> ConnectionOn(int fd) {
    asio::ip::tcp::socket socket(core_.io);
    std::error_code ec;
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    socket.assign(addr.ss_family == AF_INET6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      return nullptr;
    }
    return std::make_shared<Connection>(core_, std::move(socket));
  }

  void AcceptPeer(const std::string& node, int fd) override {
    auto s = std::make_shared<HomeSession>(core_, std::make_shared<PeerLink>(core_.io, fd, node));
    core_.sessions.emplace(s.get(), s);
    s->Start();
  }

  void CutPeers(const std::set<std::string>& nodes) override {
    for (auto& [holder, home] : core_.homes)
      if (nodes.count(HolderNode(holder))) home->Drop(Status::Unavailable("the network is cut (fault injection)"));
    std::vector<std::shared_ptr<HomeSession>> cut;
    for (auto& [raw, s] : core_.sessions)
      if (nodes.count(HolderNode(s->peer()))) cut.push_back(s);
    for (auto& s : cut) s->Drop();
  }

  void CloseAll(const std::string& reason) override {
    std::vector<std::shared_ptr<Connection>> all;
    for (auto& [raw, c] : core_.connections) all.push_back(c);
    for (auto& c : all) c->CloseWith(amqp::kConnectionForced, ForcedClosureText(reason));
  }

  void MetadataChanged() override {
    const meta::State& st = core_.store.state();
    // Vhosts deleted from the store take their queues and connections with them.
    for (auto it = core_.vhosts.begin(); it != core_.vhosts.end();) {
      if (st.FindVhost(it->first)) {
        ++it;
        continue;
      }
      std::vector<std::shared_ptr<Connection>> doomed;
      for (auto& [raw, c] : core_.connections)
        if (c->has_vhost(it->second.get())) doomed.push_back(c);
      for (auto& c : doomed)
        c->CloseWith(amqp::kConnectionForced, "vhost '" + it->first + "' is deleted");
      it = core_.vhosts.erase(it);
    }
    // Exchanges, queues and bindings added to the metadata outside the engine (an
    // import) appear. Looked for only when their numbers changed, or in a vhost seen for
    // the first time: most changes (a user, a permission) touch neither.
    const std::array<size_t, 4> counts{st.exchanges().size(), st.queues().size(),
                                       st.bindings().size(), size_t(st.entity_revision())};
    const bool entities_changed = counts != entity_counts_;
    entity_counts_ = counts;
    for (const auto& [name, vh] : st.vhosts()) {
      const bool fresh = core_.vhosts.count(name) == 0;
      Vhost* v = core_.FindVhost(name);
      if (v && (fresh || entities_changed)) v->Restore(st);
    }
    // Policies are recompiled only for vhosts whose policies or operator policies
    // changed; plugins hear of it (policy.changed).
    const auto now = PolicyFingerprints(st);
    std::erase_if(applied_policies_, [&](const auto& kv) { return !core_.vhosts.count(kv.first); });
    for (auto& [name, v] : core_.vhosts) {
      auto f = now.find(name);
      const std::string fp = f == now.end() ? "" : f->second;
      auto applied = applied_policies_.find(name);
      if (applied != applied_policies_.end() && applied->second == fp) continue;
      const bool changed = applied != applied_policies_.end();
      v->ApplyPolicies(PolicySetOf(st.policies(), name), PolicySetOf(st.operator_policies(), name));
      applied_policies_[name] = fp;
      if (changed) core_.Emit(plugin::EventKind::kPolicyChanged, name, "");
    }
  }

  // Each vhost's policies and operator policies, written out: equal strings, equal
  // policies.
  static std::map<std::string, std::string> PolicyFingerprints(const meta::State& st) {
    std::map<std::string, std::string> out;
    auto add = [&](const auto& all, const char* kind) {
      for (const auto& [key, p] : all)
        out[key.first] += std::string(kind) + p.name + '\0' + p.pattern + '\0' + p.apply_to +
                          '\0' + std::to_string(p.priority) + '\0' + p.definition.dump() + '\n';
    };
    add(st.policies(), "p");
    add(st.operator_policies(), "o");
    return out;
  }

  void SetAlarm(const std::string& reason) override {
    if (reason == core_.alarm_reason) return;
    core_.alarm = !reason.empty();
    core_.alarm_reason = reason;
    std::vector<std::shared_ptr<Connection>> all;
    for (auto& [raw, c] : core_.connections) all.push_back(c);
    for (auto& c : all) c->AlarmChanged();
  }

  const BrokerCounters& counters() const override { return core_.counters; }
  size_t connection_count() const override { return core_.connections.size(); }
  size_t channel_count() const override {
    size_t n = 0;
    for (const auto& [raw, c] : core_.connections) n += c->channel_count();
    return n;
  }

  // Admin listings and operations (admin.cc).
  void CollectMetrics(plugin::NodeMetrics& m, bool per_queue) const override;
  nlohmann::json ListQueues(const std::string& vhost) const override;
  nlohmann::json ListExchanges(const std::string& vhost) const override;
  nlohmann::json ListBindings(const std::string& vhost) const override;
  nlohmann::json ListConnections() const override;
  nlohmann::json ListChannels() const override;
  nlohmann::json ListConsumers(const std::string& vhost) const override;
  Result<size_t> PurgeQueue(const std::string& vhost, const std::string& name) override;
  Result<size_t> DeleteQueue(const std::string& vhost, const std::string& name, bool if_unused,
                             bool if_empty) override;
  Status CloseConnection(const std::string& name, const std::string& explanation) override;
  size_t CloseAllConnections(const std::string& vhost, size_t limit, uint32_t delay_ms,
                             const std::string& explanation) override;
  Status DeclareQueue(const std::string& vhost, const std::string& name, bool durable,
                      bool auto_delete, const nlohmann::json& arguments) override;
  Status DeclareExchange(const std::string& vhost, const std::string& name,
                         const std::string& type, bool durable, bool auto_delete, bool internal,
                         const nlohmann::json& arguments) override;
  Status DeleteExchange(const std::string& vhost, const std::string& name,
                        bool if_unused) override;
  Status Bind(const std::string& vhost, const std::string& source,
              const std::string& destination, bool destination_is_exchange,
              const std::string& routing_key, const nlohmann::json& arguments,
              bool unbind) override;
  Result<size_t> Publish(const std::string& vhost, const std::string& exchange,
                         const std::string& routing_key, const nlohmann::json& properties,
                         std::string payload) override;
  Result<nlohmann::json> Get(const std::string& vhost, const std::string& queue, size_t count,
                             bool requeue) override;

 private:
  // The close text RabbitMQ sends when an operator closes a connection.
  static std::string ForcedClosureText(const std::string& reason) {
    return "broker forced connection closure with reason '" + reason + "'";
  }
  // admin.cc: the pid-like identifier of a queue, channel or connection.
  std::string Pid(uint64_t serial) const;
  std::string ConnectionName(const Connection& c) const;
  // The model of `vhost` for a listing; nullptr when the store has no such vhost.
  const Vhost* ListedVhost(const std::string& vhost) const;
  // Precondition naming the member when `q` is a stand-in: admin operations on a
  // queue run on the member that holds it (the control ops send them there first).
  Status HeldHere(const Queue& q) const;
  std::string QueueHolder(const std::string& vhost, const std::string& name) override;
  // The loaded model of `vhost`, or NotFound.
  Result<Vhost*> AdminVhost(const std::string& vhost);
  // Runs a task from the engine's loop: an operator's change resumes its wait so.
  Vhost::OperatorChange::Post Poster() {
    return [&io = core_.io](std::function<void()> task) { asio::post(io, std::move(task)); };
  }

  // Page files are scratch: any left by an earlier run are removed.
  void PreparePaging() {
    const std::string& dir = core_.options.paging_dir;
    if (dir.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      log::Warning("cannot create the page directory " + dir + " (" + ec.message() +
                   "); queues keep their backlogs in memory");
      return;
    }
    core_.paging = {dir, core_.options.page_above};
  }

  void ScheduleTick() {
    tick_.expires_after(std::chrono::milliseconds(100));
    // A tick that expired while the engine is being destroyed (stop_app runs inside
    // another handler) is already queued and cannot be cancelled: it must find out.
    tick_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](std::error_code ec) {
      if (ec || alive.expired()) return;
      const int64_t now = Core::NowMs();
      for (auto& [name, v] : core_.vhosts) v->Tick(now);
      // Acks and expiries of persistent messages: written and synced within 100 ms.
      core_.CommitMessages();
      core_.WantDurable(core_.durability.written);
      ScheduleTick();
    });
  }

  Core core_;
  asio::steady_timer tick_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // gone with the engine
  // Exchanges, queues and bindings in the metadata, and its entity revision.
  std::array<size_t, 4> entity_counts_{};
  std::map<std::string, std::string> applied_policies_;  // vhost -> the policies it runs with
  // Seconds since the epoch when the engine started: the "creation" part of pids.
  const int64_t creation_ = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
};


}  // namespace warren::broker
