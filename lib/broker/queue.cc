#include "broker/queue.h"

#include <algorithm>

#include "amqp/spec.h"
#include "broker/channel.h"
#include "broker/remote_home.h"
#include "broker/vhost.h"

namespace warren::broker {

std::optional<int64_t> FieldInt(const amqp::FieldValue& v) {
  return std::visit(
      [](const auto& x) -> std::optional<int64_t> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) return int64_t(x);
        else if constexpr (std::is_same_v<T, amqp::Int64L>) return x.value;
        else return std::nullopt;
      },
      v.value);
}

// RabbitMQ's names for field value types, as its error texts print them.
std::string FieldTypeName(const amqp::FieldValue& v) {
  switch (v.tag()) {
    case 't': return "bool";
    case 'b': return "byte";
    case 'B': return "unsignedbyte";
    case 's': return "short";
    case 'u': return "unsignedshort";
    case 'I': return "signedint";
    case 'i': return "unsignedint";
    case 'l': case 'L': return "long";
    case 'f': return "float";
    case 'd': return "double";
    case 'D': return "decimal";
    case 'S': return "longstr";
    case 'x': return "binary";
    case 'A': return "array";
    case 'T': return "timestamp";
    case 'F': return "table";
    default: return "void";
  }
}

namespace {

std::optional<std::string> FieldString(const amqp::FieldValue& v) {
  if (const auto* s = std::get_if<std::string>(&v.value)) return *s;
  if (const auto* x = std::get_if<amqp::ByteArray>(&v.value)) return x->bytes;
  return std::nullopt;
}

std::optional<Overflow> ParseOverflow(const std::string& s) {
  if (s == "drop-head") return Overflow::kDropHead;
  if (s == "reject-publish") return Overflow::kRejectPublish;
  if (s == "reject-publish-dlx") return Overflow::kRejectPublishDlx;
  return std::nullopt;
}

}  // namespace

Status ValidateQueueArgs(const amqp::FieldTable& args, const std::string& queue,
                         const std::string& vhost) {
  for (const auto& e : args.entries) {
    auto invalid = [&](const std::string& why) {
      return Refuse(amqp::kPreconditionFailed,
                    "invalid arg '" + e.name + "' for queue '" + queue + "' in vhost '" + vhost +
                        "': " + why);
    };
    const std::string& n = e.name;
    if (n == "x-message-ttl" || n == "x-expires" || n == "x-max-length" ||
        n == "x-max-length-bytes" || n == "x-max-priority") {
      auto v = FieldInt(e.value);
      if (!v) return invalid("{unacceptable_type," + FieldTypeName(e.value) + "}");
      if (*v < 0 || (n == "x-expires" && *v == 0))
        return invalid(std::string(*v < 0 ? "{value_negative," : "{value_zero,") +
                       std::to_string(*v) + "}");
      if (n == "x-max-priority" && *v > 255)
        return invalid("{value_too_large," + std::to_string(*v) + ",255}");
    } else if (n == "x-dead-letter-exchange" || n == "x-dead-letter-routing-key") {
      if (!FieldString(e.value)) return invalid("{unacceptable_type," + FieldTypeName(e.value) + "}");
    } else if (n == "x-overflow") {
      auto s = FieldString(e.value);
      if (!s) return invalid("{unacceptable_type," + FieldTypeName(e.value) + "}");
      if (!ParseOverflow(*s)) return invalid("{invalid_overflow,<<\"" + *s + "\">>}");
    } else if (n == "x-single-active-consumer") {
      if (!std::holds_alternative<bool>(e.value.value))
        return invalid("{unacceptable_type," + FieldTypeName(e.value) + "}");
    } else if (n == "x-queue-master-locator") {
      auto s = FieldString(e.value);
      if (!s) return invalid("{unacceptable_type," + FieldTypeName(e.value) + "}");
      if (*s != "client-local" && *s != "min-masters" && *s != "random")
        return invalid("{invalid_queue_locator_arg,<<\"" + *s + "\">>}");
    } else if (n == "x-queue-type") {
      auto s = FieldString(e.value);
      if (!s) return invalid("{unacceptable_type," + FieldTypeName(e.value) + "}");
      if (*s != "classic")
        return invalid("{unacceptable_value,<<\"" + *s + "\">>} (warren serves classic queues)");
    }
  }
  if (args.Find("x-dead-letter-routing-key") && !args.Find("x-dead-letter-exchange")) {
    return Refuse(amqp::kPreconditionFailed,
                  "invalid arg 'x-dead-letter-routing-key' for queue '" + queue +
                      "' in vhost '" + vhost + "': {routing_key_without_dlx}");
  }
  return Status::OK();
}

QueueSettings ResolveQueueSettings(const amqp::FieldTable& args, const nlohmann::json& policy) {
  QueueSettings s;
  auto arg_int = [&](const char* name) -> std::optional<int64_t> {
    const auto* v = args.Find(name);
    return v ? FieldInt(*v) : std::nullopt;
  };
  auto arg_str = [&](const char* name) -> std::optional<std::string> {
    const auto* v = args.Find(name);
    return v ? FieldString(*v) : std::nullopt;
  };
  auto pol_int = [&](const char* key) -> std::optional<int64_t> {
    auto it = policy.find(key);
    if (it == policy.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
  };
  auto pol_str = [&](const char* key) -> std::optional<std::string> {
    auto it = policy.find(key);
    if (it == policy.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  auto lower = [](std::optional<int64_t> a, std::optional<int64_t> b) {
    if (a && b) return std::optional<int64_t>(std::min(*a, *b));
    return a ? a : b;
  };
  s.message_ttl = lower(arg_int("x-message-ttl"), pol_int("message-ttl"));
  s.expires = lower(arg_int("x-expires"), pol_int("expires"));
  s.max_length = lower(arg_int("x-max-length"), pol_int("max-length"));
  s.max_length_bytes = lower(arg_int("x-max-length-bytes"), pol_int("max-length-bytes"));
  auto overflow = arg_str("x-overflow");
  if (!overflow) overflow = pol_str("overflow");
  if (overflow) s.overflow = ParseOverflow(*overflow).value_or(Overflow::kDropHead);
  s.dead_letter_exchange = arg_str("x-dead-letter-exchange");
  if (!s.dead_letter_exchange) s.dead_letter_exchange = pol_str("dead-letter-exchange");
  s.dead_letter_routing_key = arg_str("x-dead-letter-routing-key");
  if (!s.dead_letter_routing_key) s.dead_letter_routing_key = pol_str("dead-letter-routing-key");
  s.max_priority = uint8_t(std::clamp<int64_t>(arg_int("x-max-priority").value_or(0), 0, 255));
  if (const auto* v = args.Find("x-single-active-consumer"))
    if (const auto* b = std::get_if<bool>(&v->value)) s.single_active_consumer = *b;
  return s;
}

Queue::Queue(Vhost& vhost, QueueSpec spec, QueueSettings settings, int64_t now_ms)
    : vhost_(vhost), spec_(std::move(spec)), settings_(std::move(settings)), last_used_(now_ms) {
  for (size_t p = 0; p <= settings_.max_priority; ++p)
    lanes_.emplace_back(vhost.paging(), "q" + std::to_string(serial_) + "-" + std::to_string(p));
}

size_t Queue::paged_out() const {
  size_t n = 0;
  for (const auto& l : lanes_) n += l.paged();
  return n;
}

uint64_t Queue::paged_out_bytes() const {
  uint64_t n = 0;
  for (const auto& l : lanes_) n += l.paged_bytes();
  return n;
}

uint64_t Queue::paged_out_persistent() const {
  uint64_t n = 0;
  for (const auto& l : lanes_) n += l.paged_persistent();
  return n;
}

uint64_t Queue::paged_out_persistent_bytes() const {
  uint64_t n = 0;
  for (const auto& l : lanes_) n += l.paged_persistent_bytes();
  return n;
}

const std::string& Queue::vhost_name() const { return vhost_.name(); }

void Queue::set_settings(QueueSettings s) {
  // The number of priority lanes is fixed at declaration, as in RabbitMQ.
  s.max_priority = settings_.max_priority;
  settings_ = std::move(s);
  DropHeadForLimits();
}

Lane& Queue::LaneFor(uint8_t priority) {
  return lanes_[std::min<size_t>(priority, lanes_.size() - 1)];
}

Entry* Queue::Head() {
  for (auto lane = lanes_.rbegin(); lane != lanes_.rend(); ++lane) {
    if (lane->empty()) continue;
    Entry* e = lane->front();
    TakeLost(*lane);
    if (e) return e;
  }
  return nullptr;
}

void Queue::TakeLost(Lane& lane) {
  const auto [n, bytes] = lane.TakeLost();
  ready_ -= std::min(ready_, n);
  ready_bytes_ -= std::min(ready_bytes_, bytes);
}

Entry Queue::PopHead() {
  for (auto lane = lanes_.rbegin(); lane != lanes_.rend(); ++lane) {
    if (lane->empty()) continue;
    Entry* f = lane->front();
    TakeLost(*lane);
    if (!f) continue;
    Entry e = std::move(*f);
    lane->pop_front();
    TakeLost(*lane);
    --ready_;
    ready_bytes_ -= e.message->body.size();
    return e;
  }
  return {};
}

bool Queue::OverLimits(uint64_t extra_bytes, size_t extra) const {
  if (settings_.max_length && int64_t(ready_ + extra) > *settings_.max_length) return true;
  if (settings_.max_length_bytes && int64_t(ready_bytes_ + extra_bytes) > *settings_.max_length_bytes)
    return true;
  return false;
}

void Queue::DropHeadForLimits() {
  while (ready_ > 0 && OverLimits(0, 0)) {
    Entry e = PopHead();
    if (!e.message) break;  // the rest was lost to a failed page file
    vhost_.DeadLetter(*this, std::move(e), "maxlen");
  }
}

EnqueueResult Queue::Enqueue(MessagePtr message, int64_t now_ms) {
  if (home_) {
    home_->Publish(*this, *message, 0, 0);
    return EnqueueResult::kAccepted;
  }
  const uint64_t size = message->body.size();
  if (settings_.overflow != Overflow::kDropHead && OverLimits(size, 1)) {
    if (settings_.overflow == Overflow::kRejectPublishDlx)
      vhost_.DeadLetter(*this, Entry{std::move(message), next_seq_++, 0, false}, "maxlen");
    return EnqueueResult::kRejected;
  }
  Entry e{std::move(message), next_seq_++, 0, false};
  if (store_ && e.message->persistent()) {
    Status s = store_->Append(store_key_, e.seq, SerializeMessage(*e.message));
    if (!s.ok()) return EnqueueResult::kRejected;
    e.persisted = true;
  }
  std::optional<int64_t> ttl = settings_.message_ttl;
  if (const auto& exp = e.message->properties.expiration) {
    char* end = nullptr;
    const long long v = std::strtoll(exp->c_str(), &end, 10);
    if (end && *end == '\0' && v >= 0) ttl = ttl ? std::min<int64_t>(*ttl, v) : v;
  }
  if (ttl) e.expires_at = now_ms + *ttl;
  // TTL 0: delivered only if a consumer can take it at once, else expired.
  const bool zero_ttl = ttl && *ttl == 0;
  ready_bytes_ += size;
  ++ready_;
  LaneFor(e.message->priority()).push_back(std::move(e));
  if (settings_.overflow == Overflow::kDropHead) DropHeadForLimits();
  Drain(zero_ttl ? now_ms - 1 : now_ms);
  if (zero_ttl) ExpireHead(now_ms);
  return EnqueueResult::kAccepted;
}

void Queue::Requeue(Entry entry) {
  if (home_) return home_->Settle(entry, peer::Settle::kRequeue);
  if (deleted_) return;
  entry.redelivered = true;
  ready_bytes_ += entry.message->body.size();
  ++ready_;
  LaneFor(entry.message->priority()).insert_by_seq(std::move(entry));
}

void Queue::Settle(Entry entry, bool rejected) {
  if (home_) return home_->Settle(entry, rejected ? peer::Settle::kReject : peer::Settle::kAck);
  if (rejected && !deleted_) vhost_.DeadLetter(*this, std::move(entry), "rejected");
  else Forget(entry);
}

std::optional<Entry> Queue::Get(int64_t now_ms) {
  last_used_ = now_ms;
  ExpireHead(now_ms);
  if (ready_ == 0) return std::nullopt;
  Entry e = PopHead();
  if (!e.message) return std::nullopt;
  return e;
}

size_t Queue::Purge() {
  const size_t n = ready_;
  for (auto& lane : lanes_) lane.clear();
  if (store_) store_->RemoveQueue(store_key_);  // unacked ones stay: see Forget
  ready_ = 0;
  ready_bytes_ = 0;
  ReleaseWaiters();
  return n;
}

void Queue::ExpireHead(int64_t now_ms) {
  while (Entry* head = Head()) {
    if (head->expires_at == 0 || head->expires_at > now_ms) return;
    vhost_.DeadLetter(*this, PopHead(), "expired");
  }
}

void Queue::AddConsumer(Consumer* c) {
  had_consumer_ = true;
  auto at = std::find_if(consumers_.begin(), consumers_.end(),
                         [&](const Consumer* o) { return o->priority < c->priority; });
  consumers_.insert(at, c);
}

void Queue::Forget(const Entry& e) {
  if (e.persisted && store_ && !deleted_) store_->Remove(store_key_, e.seq);
}

void Queue::RecoverOne(uint64_t id, std::string_view payload, int64_t now_ms) {
  auto m = DeserializeMessage(payload);
  if (!m.ok()) {
    store_->Remove(store_key_, id);
    return;
  }
  Entry e{std::move(m).value(), id, 0, false, true};
  if (settings_.message_ttl) e.expires_at = now_ms + *settings_.message_ttl;
  next_seq_ = std::max(next_seq_, id + 1);
  ready_bytes_ += e.message->body.size();
  ++ready_;
  LaneFor(e.message->priority()).push_back(std::move(e));
}

void Queue::ReleaseWaiters() {
  auto waiters = std::move(waiters_);
  waiters_.clear();
  for (auto& w : waiters) w();
}

bool Queue::RemoveConsumer(Consumer* c) {
  std::erase(consumers_, c);
  if (home_ && c->remote_id != 0) {
    home_->Cancel(*c);
    return false;  // the member holding the queue deletes it if it auto-deletes
  }
  if (consumers_.empty()) ReleaseWaiters();
  if (next_consumer_ >= consumers_.size()) next_consumer_ = 0;
  return consumers_.empty() && spec_.auto_delete && had_consumer_;
}

Consumer* Queue::NextConsumer() {
  if (consumers_.empty()) return nullptr;
  if (settings_.single_active_consumer) {
    Consumer* active = consumers_.front();
    return active->channel->CanDeliver(*active) ? active : nullptr;
  }
  // Round robin among the consumers of the highest priority that have credit.
  const size_t n = consumers_.size();
  size_t group_start = 0;
  while (group_start < n) {
    size_t group_end = group_start;
    while (group_end < n && consumers_[group_end]->priority == consumers_[group_start]->priority)
      ++group_end;
    const size_t size = group_end - group_start;
    size_t offset = next_consumer_ >= group_start && next_consumer_ < group_end
                        ? next_consumer_ - group_start
                        : 0;
    for (size_t i = 0; i < size; ++i) {
      const size_t idx = group_start + (offset + i) % size;
      Consumer* c = consumers_[idx];
      if (c->channel->CanDeliver(*c)) {
        next_consumer_ = group_start + (idx - group_start + 1) % size;
        return c;
      }
    }
    group_start = group_end;
  }
  return nullptr;
}

void Queue::Drain(int64_t now_ms) {
  if (draining_ || deleted_) return;
  if (home_) return DrainRemote();
  draining_ = true;
  while (ready_ > 0) {
    Entry* head = Head();
    if (!head) break;
    if (head->expires_at != 0 && head->expires_at <= now_ms) {
      vhost_.DeadLetter(*this, PopHead(), "expired");
      continue;
    }
    Consumer* c = NextConsumer();
    if (!c) break;
    last_used_ = now_ms;
    c->channel->Deliver(*c, PopHead());
  }
  draining_ = false;
  if (!waiters_.empty() && ready_ < kFlowLowWater) ReleaseWaiters();
}

void Queue::DrainRemote() {
  draining_ = true;
  for (size_t i = 0; i < consumers_.size(); ++i) {
    Consumer* c = consumers_[i];
    uint32_t taken = 0;
    while (!c->remote_buffer.empty() && c->channel->CanDeliver(*c)) {
      Entry e = std::move(c->remote_buffer.front());
      c->remote_buffer.pop_front();
      c->channel->Deliver(*c, std::move(e));
      ++taken;
    }
    if (taken) home_->Credit(*c, taken);
  }
  draining_ = false;
}

}  // namespace warren::broker
