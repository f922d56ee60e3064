// The broker's implementation class, shared by broker.cc (lifecycle, connections,
// metadata) and admin.cc (what the admin service lists and changes). Internal to
// lib/broker.
#pragma once

#include <asio.hpp>
#include <memory>
#include <string>
#include <vector>

#include "amqp/spec.h"
#include "base/log.h"
#include "broker/broker.h"
#include "broker/connection.h"
#include "broker/core.h"
#include "meta/store.h"

namespace warren::broker {

// The policies of one vhost as the policy library takes them.
policy::PolicySet PolicySetOf(const std::map<std::pair<std::string, std::string>, meta::Policy>& all,
                              const std::string& vhost);

class BrokerImpl : public Broker {
 public:
  BrokerImpl(asio::io_context& io, meta::Store& store, BrokerOptions options)
      : core_{io, store, std::move(options), {}, {}, {}, false}, tick_(io) {
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
  }

  void Accept(int fd) override {
    asio::ip::tcp::socket socket(core_.io);
    std::error_code ec;
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    socket.assign(addr.ss_family == AF_INET6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      return;
    }
    std::make_shared<Connection>(core_, std::move(socket))->Start();
  }

  void CloseAll(const std::string& reason) override {
    std::vector<std::shared_ptr<Connection>> all;
    for (auto& [raw, c] : core_.connections) all.push_back(c);
    for (auto& c : all)
      c->CloseWith(amqp::kConnectionForced, "broker forced connection closure with reason '" + reason + "'");
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
    for (auto& [name, v] : core_.vhosts)
      v->ApplyPolicies(PolicySetOf(st.policies(), name), PolicySetOf(st.operator_policies(), name));
  }

  void SetAlarm(bool on) override { core_.alarm = on; }

  const BrokerCounters& counters() const override { return core_.counters; }
  size_t connection_count() const override { return core_.connections.size(); }
  size_t channel_count() const override {
    size_t n = 0;
    for (const auto& [raw, c] : core_.connections) n += c->channel_count();
    return n;
  }

  nlohmann::json ListQueues(const std::string& vhost) const override {
    nlohmann::json out = nlohmann::json::array();
    auto it = core_.vhosts.find(vhost);
    if (it == core_.vhosts.end()) return out;
    std::vector<std::string> names;
    for (const auto& [name, q] : it->second->queues()) names.push_back(name);
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      const Queue& q = *it->second->queues().at(name);
      out.push_back({{"vhost", vhost},
                     {"name", name},
                     {"durable", q.spec().durable},
                     {"auto_delete", q.spec().auto_delete},
                     {"exclusive", q.spec().exclusive},
                     {"messages_ready", q.ready()},
                     {"messages_unacknowledged", q.unacked()},
                     {"messages", q.ready() + q.unacked()},
                     {"message_bytes_ready", q.ready_bytes()},
                     {"consumers", q.consumers().size()}});
    }
    return out;
  }

 private:
  void ScheduleTick() {
    tick_.expires_after(std::chrono::milliseconds(100));
    tick_.async_wait([this](std::error_code ec) {
      if (ec) return;
      const int64_t now = Core::NowMs();
      for (auto& [name, v] : core_.vhosts) v->Tick(now);
      ScheduleTick();
    });
  }

  Core core_;
  asio::steady_timer tick_;
};


}  // namespace warren::broker
