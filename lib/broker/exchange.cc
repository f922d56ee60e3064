#include "broker/exchange.h"

#include <algorithm>

namespace warren::broker {

std::optional<ExchangeType> ParseExchangeType(std::string_view name) {
  if (name == "direct") return ExchangeType::kDirect;
  if (name == "fanout") return ExchangeType::kFanout;
  if (name == "topic") return ExchangeType::kTopic;
  if (name == "headers") return ExchangeType::kHeaders;
  return std::nullopt;
}

std::string_view ExchangeTypeName(ExchangeType type) {
  switch (type) {
    case ExchangeType::kDirect: return "direct";
    case ExchangeType::kFanout: return "fanout";
    case ExchangeType::kTopic: return "topic";
    case ExchangeType::kHeaders: return "headers";
    case ExchangeType::kCustom: return "custom";
  }
  return "direct";
}

std::string TypeName(const ExchangeSpec& spec) {
  return spec.type == ExchangeType::kCustom ? spec.custom_name
                                            : std::string(ExchangeTypeName(spec.type));
}

bool Exchange::Bind(Binding b) {
  if (std::find(bindings_.begin(), bindings_.end(), b) != bindings_.end()) return false;
  bindings_.push_back(std::move(b));
  if (spec_.type == ExchangeType::kDirect)
    by_key_[bindings_.back().key].push_back(bindings_.size() - 1);
  return true;
}

bool Exchange::Unbind(const Binding& b) {
  auto it = std::find(bindings_.begin(), bindings_.end(), b);
  if (it == bindings_.end()) return false;
  bindings_.erase(it);
  Reindex();
  return true;
}

size_t Exchange::RemoveDestination(const Destination& d) {
  const size_t n = std::erase_if(bindings_, [&](const Binding& b) { return b.destination == d; });
  if (n) Reindex();
  return n;
}

void Exchange::Reindex() {
  by_key_.clear();
  if (spec_.type != ExchangeType::kDirect) return;
  for (size_t i = 0; i < bindings_.size(); ++i) by_key_[bindings_[i].key].push_back(i);
}

void Exchange::Route(const std::string& routing_key, const amqp::FieldTable* headers,
                     std::vector<const Destination*>& out) const {
  switch (spec_.type) {
    case ExchangeType::kDirect: {
      auto it = by_key_.find(routing_key);
      if (it != by_key_.end())
        for (size_t i : it->second) out.push_back(&bindings_[i].destination);
      return;
    }
    case ExchangeType::kFanout:
      for (const auto& b : bindings_) out.push_back(&b.destination);
      return;
    case ExchangeType::kTopic:
      for (const auto& b : bindings_)
        if (TopicMatches(b.key, routing_key)) out.push_back(&b.destination);
      return;
    case ExchangeType::kHeaders:
      for (const auto& b : bindings_)
        if (HeadersMatch(b.args, headers)) out.push_back(&b.destination);
      return;
    case ExchangeType::kCustom: {
      std::vector<std::string_view> keys;
      keys.reserve(bindings_.size());
      for (const auto& b : bindings_) keys.push_back(b.key);
      std::vector<size_t> chosen;
      spec_.custom->Route(routing_key, keys, chosen);
      for (size_t i : chosen)
        if (i < bindings_.size()) out.push_back(&bindings_[i].destination);
      return;
    }
  }
}

namespace {

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    out.push_back(s.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

bool MatchWords(const std::vector<std::string_view>& p, size_t pi,
                const std::vector<std::string_view>& k, size_t ki) {
  while (pi < p.size()) {
    if (p[pi] == "#") {
      // Collapse consecutive '#'; then try every split of the remaining words.
      while (pi + 1 < p.size() && p[pi + 1] == "#") ++pi;
      if (pi + 1 == p.size()) return true;
      for (size_t skip = ki; skip <= k.size(); ++skip)
        if (MatchWords(p, pi + 1, k, skip)) return true;
      return false;
    }
    if (ki == k.size()) return false;
    if (p[pi] != "*" && p[pi] != k[ki]) return false;
    ++pi;
    ++ki;
  }
  return ki == k.size();
}

// Header values compare as RabbitMQ compares them: numbers by value whatever their
// width, everything else by type and value.
std::optional<double> Number(const amqp::FieldValue& v) {
  return std::visit(
      [](const auto& x) -> std::optional<double> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) return double(x);
        else if constexpr (std::is_same_v<T, amqp::Int64L>) return double(x.value);
        else return std::nullopt;
      },
      v.value);
}

bool SameValue(const amqp::FieldValue& a, const amqp::FieldValue& b) {
  auto na = Number(a), nb = Number(b);
  if (na && nb) return *na == *nb;
  if (const auto* sa = std::get_if<std::string>(&a.value)) {
    if (const auto* xb = std::get_if<amqp::ByteArray>(&b.value)) return *sa == xb->bytes;
  }
  if (const auto* xa = std::get_if<amqp::ByteArray>(&a.value)) {
    if (const auto* sb = std::get_if<std::string>(&b.value)) return xa->bytes == *sb;
  }
  return a == b;
}

}  // namespace

bool TopicMatches(std::string_view pattern, std::string_view key) {
  if (pattern == "#") return true;
  return MatchWords(Words(pattern), 0, Words(key), 0);
}

bool HeadersMatch(const amqp::FieldTable& binding_args, const amqp::FieldTable* headers) {
  std::string mode = "all";
  if (const auto* m = binding_args.Find("x-match")) {
    if (const auto* s = std::get_if<std::string>(&m->value)) mode = *s;
  }
  const bool any = mode == "any" || mode == "any-with-x";
  const bool with_x = mode == "all-with-x" || mode == "any-with-x";
  for (const auto& e : binding_args.entries) {
    if (e.name == "x-match") continue;
    if (!with_x && e.name.rfind("x-", 0) == 0) continue;
    const amqp::FieldValue* h = headers ? headers->Find(e.name) : nullptr;
    const bool match = h && (std::holds_alternative<amqp::Void>(e.value.value) || SameValue(e.value, *h));
    if (any && match) return true;
    if (!any && !match) return false;
  }
  // all: every argument matched (vacuously so with none); any: none did.
  return !any;
}

}  // namespace warren::broker
