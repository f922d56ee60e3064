// Which policy applies to a queue or an exchange, and the effective definition once an
// operator policy caps it (rabbit_policy:match/2, merge_operator_definitions/2 and
// rabbit_policies:merge_policy_value/3 in RabbitMQ 3.10).
#include <algorithm>
#include <array>
#include <regex>
#include <string_view>

#include "policy/internal/pattern.h"
#include "policy/policy.h"

namespace warren::policy {
namespace {

// The policy keys each queue type does not support (its `unsupported_policies`).
bool Unsupported(QueueType type, std::string_view key) {
  static constexpr std::array<std::string_view, 6> kClassic = {
      "max-age", "stream-max-segment-size-bytes", "queue-leader-locator", "initial-cluster-size",
      "delivery-limit", "dead-letter-strategy"};
  static constexpr std::array<std::string_view, 12> kQuorum = {
      "max-priority", "queue-mode", "single-active-consumer", "ha-mode", "ha-params",
      "ha-sync-mode", "ha-promote-on-shutdown", "ha-promote-on-failure", "queue-master-locator",
      "max-age", "stream-max-segment-size-bytes", "initial-cluster-size"};
  static constexpr std::array<std::string_view, 19> kStream = {
      "expires", "message-ttl", "dead-letter-exchange", "dead-letter-routing-key", "max-length",
      "max-in-memory-length", "max-in-memory-bytes", "max-priority", "overflow", "queue-mode",
      "single-active-consumer", "delivery-limit", "ha-mode", "ha-params", "ha-sync-mode",
      "ha-promote-on-shutdown", "ha-promote-on-failure", "queue-master-locator",
      "dead-letter-strategy"};
  auto in = [&](const auto& list) { return std::find(list.begin(), list.end(), key) != list.end(); };
  switch (type) {
    case QueueType::kClassic: return in(kClassic);
    case QueueType::kQuorum: return in(kQuorum);
    case QueueType::kStream: return in(kStream);
  }
  return false;
}

bool AppliesTo(ApplyTo a, ResourceKind k) {
  return a == ApplyTo::kAll || (a == ApplyTo::kQueues && k == ResourceKind::kQueue) ||
         (a == ApplyTo::kExchanges && k == ResourceKind::kExchange);
}

// Keys where an operator policy caps the user policy: the lower value wins.
bool CapsByMinimum(std::string_view key) {
  return key == "message-ttl" || key == "max-length" || key == "max-length-bytes" ||
         key == "max-in-memory-length" || key == "max-in-memory-bytes" || key == "expires" ||
         key == "delivery-limit";
}

}  // namespace

struct PolicySet::Impl {
  struct Entry {
    Policy policy;
    std::shared_ptr<const std::regex> re;
  };
  std::vector<Entry> entries;  // highest priority first, then by name
};

PolicySet::PolicySet() : impl_(std::make_unique<Impl>()) {}
PolicySet::~PolicySet() = default;
PolicySet::PolicySet(PolicySet&&) noexcept = default;
PolicySet& PolicySet::operator=(PolicySet&&) noexcept = default;

Result<PolicySet> PolicySet::Create(std::vector<Policy> policies) {
  PolicySet set;
  for (auto& p : policies) {
    auto re = internal::CompilePattern(p.pattern);
    if (!re.ok())
      return Status::BadInput("policy '" + p.name + "' has an invalid pattern: " +
                              re.status().message());
    set.impl_->entries.push_back({std::move(p), std::move(re).value()});
  }
  std::sort(set.impl_->entries.begin(), set.impl_->entries.end(),
            [](const Impl::Entry& a, const Impl::Entry& b) {
              if (a.policy.priority != b.policy.priority)
                return a.policy.priority > b.policy.priority;
              return a.policy.name < b.policy.name;
            });
  return set;
}

size_t PolicySet::size() const { return impl_->entries.size(); }

const Policy* PolicySet::Match(const Resource& r) const {
  for (const auto& e : impl_->entries) {
    if (!AppliesTo(e.policy.apply_to, r.kind)) continue;
    if (r.kind == ResourceKind::kQueue && e.policy.definition.is_object()) {
      bool supported = true;
      for (const auto& [k, _] : e.policy.definition.items()) {
        if (Unsupported(r.queue_type, k)) {
          supported = false;
          break;
        }
      }
      if (!supported) continue;
    }
    if (internal::Search(*e.re, r.name)) return &e.policy;
  }
  return nullptr;
}

json EffectiveDefinition(const Policy* policy, const Policy* operator_policy) {
  json out = policy ? policy->definition : json::object();
  if (!operator_policy) return out;
  for (const auto& [k, op_value] : operator_policy->definition.items()) {
    auto it = out.find(k);
    if (it == out.end()) {
      out[k] = op_value;
    } else if (CapsByMinimum(k) && it->is_number() && op_value.is_number()) {
      if (op_value < *it) *it = op_value;
    } else {
      // Operator policies hold only the keys above; for anything else the operator wins,
      // as RabbitMQ's merge does for booleans.
      *it = op_value;
    }
  }
  return out;
}

Effective Resolve(const Resource& r, const PolicySet& policies,
                  const PolicySet& operator_policies) {
  Effective e;
  e.policy = policies.Match(r);
  e.operator_policy = operator_policies.Match(r);
  e.definition = EffectiveDefinition(e.policy, e.operator_policy);
  return e;
}

}  // namespace warren::policy
