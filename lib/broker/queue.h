// A classic queue: ready messages in order (one lane per priority level), the consumers
// attached to it, and the limits that apply (TTL, max-length, overflow, dead-lettering,
// expiry) as the queue's arguments and the policies in effect set them. Owned by a vhost
// and used only on its shard.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "amqp/field_table.h"
#include "broker/lane.h"
#include "broker/message.h"
#include "broker/queue_entry.h"
#include "store/message_store.h"

namespace warren::broker {

class Vhost;
class RemoteHome;
struct Consumer;

// A process-unique number for each queue, channel and connection: the admin listings
// name them by it (their pid-like identifiers).
inline uint64_t NextSerial() {
  static std::atomic<uint64_t> next{0};
  return ++next;
}

enum class Overflow { kDropHead, kRejectPublish, kRejectPublishDlx };

// What governs a queue, from its x-arguments merged with the effective policy.
struct QueueSettings {
  std::optional<int64_t> message_ttl;  // ms
  std::optional<int64_t> expires;      // ms unused before the queue is deleted
  std::optional<int64_t> max_length;
  std::optional<int64_t> max_length_bytes;
  Overflow overflow = Overflow::kDropHead;
  std::optional<std::string> dead_letter_exchange;
  std::optional<std::string> dead_letter_routing_key;
  uint8_t max_priority = 0;  // 0: no priorities
  bool single_active_consumer = false;
};

struct QueueSpec {
  std::string name;
  bool durable = false;
  bool exclusive = false;
  bool auto_delete = false;
  amqp::FieldTable args;
  const void* owner = nullptr;  // the connection owning an exclusive queue
};


// Where a consumer's deliveries go: a client's channel, or the peer session of another
// member whose channel consumes from this node's queue (home_session.h).
class ConsumerSink {
 public:
  virtual bool CanDeliver(const Consumer& c) const = 0;
  virtual void Deliver(Consumer& c, Entry entry) = 0;
  // The consumer's queue went away.
  virtual void ConsumerGone(Consumer& c) = 0;
  // For the listings: the channel's (or session's) pid serial.
  virtual uint64_t serial() const = 0;
  // Consumers on the same connection share it (flow control must not block their acks).
  virtual const void* connection_id() const = 0;

 protected:
  ~ConsumerSink() = default;
};

struct Consumer : std::enable_shared_from_this<Consumer> {
  std::string tag;
  ConsumerSink* channel = nullptr;
  class Queue* queue = nullptr;
  bool no_ack = false;
  bool exclusive = false;
  int priority = 0;
  uint32_t prefetch = 0;  // per-consumer limit (basic.qos global=false); 0 = none
  uint32_t unacked = 0;
  amqp::FieldTable args;
  // A consumer of a stand-in queue: its number on the link to the queue's member, and
  // deliveries that came from there before the channel could take them.
  uint64_t remote_id = 0;
  std::deque<Entry> remote_buffer;
  // A consumer for another member (home_session.h): deliveries it may still be sent.
  uint32_t credit = 0;
};

enum class EnqueueResult { kAccepted, kRejected };

class Queue : public std::enable_shared_from_this<Queue> {
 public:
  Queue(Vhost& vhost, QueueSpec spec, QueueSettings settings, int64_t now_ms);

  const QueueSpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name; }
  const std::string& vhost_name() const;
  const QueueSettings& settings() const { return settings_; }
  void set_settings(QueueSettings s);
  bool deleted() const { return deleted_; }
  void mark_deleted() {
    deleted_ = true;
    ReleaseWaiters();
  }

  // Adds a routed message (applying TTL and the length limits) and delivers what it can.
  EnqueueResult Enqueue(MessagePtr message, int64_t now_ms);
  // Puts a delivered message back, in its original place, marked redelivered.
  void Requeue(Entry entry);
  // An unacknowledged delivery ended: acked (dropped) or rejected without requeue
  // (dead-lettered when the queue has a dead-letter exchange).
  void Settle(Entry entry, bool rejected);
  // The next ready message for basic.get.
  std::optional<Entry> Get(int64_t now_ms);
  // Drops every ready message; how many.
  size_t Purge();

  // Durability: persistent messages of a durable queue go to `store` under `key`.
  void set_store(store::MessageStore* store, std::string key) {
    store_ = store;
    store_key_ = std::move(key);
  }
  bool persistent_queue() const { return store_ != nullptr; }
  // The entry left the queue for good (acked, dropped, dead-lettered): off the disk too.
  void Forget(const Entry& e);
  // Puts a message recovered from the store back, behind those recovered before it.
  void RecoverOne(uint64_t id, std::string_view payload, int64_t now_ms);
  // Drops or dead-letters expired messages at the head.
  void ExpireHead(int64_t now_ms);

  void AddConsumer(Consumer* c);
  // True when the queue should now auto-delete (its last consumer went).
  bool RemoveConsumer(Consumer* c);
  const std::vector<Consumer*>& consumers() const { return consumers_; }
  // Delivers ready messages to consumers with credit.
  void Drain(int64_t now_ms);

  // A stand-in for a queue another member holds (remote_home.h): nothing is held here;
  // publishes, consumers and settlements go to `home`.
  void set_home(RemoteHome* home) { home_ = home; }
  RemoteHome* home() const { return home_; }
  // The member's consumers of the queue are not keeping up (stand-ins only).
  void set_remote_backlogged(bool on) {
    remote_backlogged_ = on;
    if (!on) ReleaseWaiters();
  }

  // Flow control: `resume` runs once the queue is back under its low-water mark, loses
  // its last consumer, or is deleted.
  void WhenDrained(std::function<void()> resume) { waiters_.push_back(std::move(resume)); }
  // Over the high-water mark with consumers that are not keeping up.
  bool backlogged() const {
    return home_ ? remote_backlogged_ : ready_ > kFlowHighWater && !consumers_.empty();
  }
  void ReleaseWaiters();
  static constexpr size_t kFlowHighWater = 20000, kFlowLowWater = 10000;

  size_t ready() const { return ready_; }
  uint64_t ready_bytes() const { return ready_bytes_; }
  uint32_t unacked() const { return unacked_; }
  void add_unacked(int n) { unacked_ += n; }
  int64_t last_used() const { return last_used_; }
  void touch(int64_t now_ms) { last_used_ = now_ms; }
  bool had_consumer() const { return had_consumer_; }

  // Read-only views for the admin listings.
  uint64_t serial() const { return serial_; }
  // The message basic.get would take next (highest priority first), or nullptr.
  // nullptr too when the head is paged out.
  const Entry* head() const {
    for (auto it = lanes_.rbegin(); it != lanes_.rend(); ++it)
      if (!it->empty()) return it->in_memory().empty() ? nullptr : &it->in_memory().front();
    return nullptr;
  }
  // The ready messages held in memory.
  template <typename F>
  void ForEachReadyInMemory(F&& f) const {
    for (const auto& lane : lanes_)
      for (const auto& e : lane.in_memory()) f(e);
  }
  // Ready messages paged out to disk, and the persistent ones (count, bytes) among them.
  size_t paged_out() const;
  uint64_t paged_out_bytes() const;
  uint64_t paged_out_persistent() const;
  uint64_t paged_out_persistent_bytes() const;

 private:
  Lane& LaneFor(uint8_t priority);
  // Takes messages a lane lost to its page file off the counts.
  void TakeLost(Lane& lane);
  Entry* Head();
  Entry PopHead();
  void DropHeadForLimits();
  bool OverLimits(uint64_t extra_bytes, size_t extra) const;
  Consumer* NextConsumer();
  void DrainRemote();  // a stand-in: buffered deliveries to consumers that can take them

  Vhost& vhost_;
  QueueSpec spec_;
  QueueSettings settings_;
  std::vector<Lane> lanes_;  // lanes_[p]: priority p; highest served first
  size_t ready_ = 0;
  uint64_t ready_bytes_ = 0;
  uint32_t unacked_ = 0;
  uint64_t next_seq_ = 0;
  std::vector<Consumer*> consumers_;  // by priority, highest first
  size_t next_consumer_ = 0;
  int64_t last_used_;
  bool had_consumer_ = false;
  bool deleted_ = false;
  bool draining_ = false;
  std::vector<std::function<void()>> waiters_;
  store::MessageStore* store_ = nullptr;
  std::string store_key_;
  RemoteHome* home_ = nullptr;
  bool remote_backlogged_ = false;
  const uint64_t serial_ = NextSerial();
};

// Checks the x-arguments a queue is declared with (x-message-ttl, x-expires,
// x-max-length, x-max-length-bytes, x-overflow, x-dead-letter-exchange,
// x-dead-letter-routing-key, x-max-priority, x-single-active-consumer, x-queue-type):
// PRECONDITION_FAILED (406) in RabbitMQ's words naming `queue` for an invalid one.
Status ValidateQueueArgs(const amqp::FieldTable& args, const std::string& queue,
                         const std::string& vhost);
// The settings from valid arguments merged with the effective policy definition: the
// lower value wins for TTL, expiry and lengths, the argument for the rest.
QueueSettings ResolveQueueSettings(const amqp::FieldTable& args, const nlohmann::json& policy);
// RabbitMQ's name of a field value's type, as its error texts print it ("signedint",
// "longstr", ...).
std::string FieldTypeName(const amqp::FieldValue& v);
// An integer field value of any width; nullopt for other types.
std::optional<int64_t> FieldInt(const amqp::FieldValue& v);

}  // namespace warren::broker
