// What connections share inside the broker: options, the metadata store, the vhosts,
// the counters and the clock. Internal to lib/broker.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "broker/broker.h"
#include "broker/sync_worker.h"
#include "broker/tally.h"
#include "broker/vhost.h"

namespace asio {
class io_context;
}

namespace warren::broker {

class Channel;
class Connection;
class HomeSession;
class RemoteHome;

struct Core {
  asio::io_context& io;
  meta::View& store;
  BrokerOptions options;
  BrokerCounters counters;
  std::shared_ptr<Tally> tally;  // options.tally, or this engine's own
  std::map<std::string, std::unique_ptr<Vhost>> vhosts;
  // Every live connection, owned here until it shuts down (a connection waiting for
  // flow control has no socket operation in flight to keep it alive).
  std::map<Connection*, std::shared_ptr<Connection>> connections;
  bool alarm = false;
  std::string alarm_reason;  // "low on memory" / "low on disk"; empty without alarm
  // Persistent messages of durable queues; null when options.message_store_dir is empty.
  std::unique_ptr<store::MessageStore> messages;
  // Direct reply-to: the channel consuming from amq.rabbitmq.reply-to, by its token.
  std::unordered_map<std::string, Channel*> reply_channels;
  // Every open channel by its serial: confirms from other members find theirs here.
  std::unordered_map<uint64_t, Channel*> channels;
  // Queues across members: the members whose queues this node uses, by node name
  // (created on first use, kept for the broker's life), and the links of members that
  // use this node's queues.
  std::map<std::string, std::unique_ptr<RemoteHome>> homes;
  std::map<HomeSession*, std::shared_ptr<HomeSession>> sessions;
  RemoteHome* Home(const std::string& node);
  // Whether `holder` is another member or shard that this engine may dial.
  bool Reaches(const std::string& holder) const;
  // The member a new queue goes to by `locator` (Vhost::Locator): this node unless
  // clustered with "min-masters" (the member holding fewest queues) or "random".
  std::string PlaceQueue(const std::string& locator);

  static int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  // The vhost's model, created on first use; nullptr when the store has no such vhost.
  Vhost* FindVhost(const std::string& name);
  // Opens the message store, recreates every vhost's durable exchanges, queues and
  // bindings, and puts the recovered messages back (durable.cc).
  Status Restore();
  // A vhost or user limit ("max-connections", "max-queues", "max-channels") when set
  // and not negative (unlimited); 0 allows none, as in RabbitMQ.
  static std::optional<int64_t> Limit(const nlohmann::json& limits, const char* key) {
    if (!limits.is_object() || !limits.contains(key) || !limits[key].is_number_integer())
      return std::nullopt;
    const int64_t v = limits[key].get<int64_t>();
    if (v < 0) return std::nullopt;
    return v;
  }
  // Tells the plugins' event handlers (BrokerOptions::on_event), if any.
  void Emit(plugin::EventKind kind, const std::string& vhost, const std::string& name,
            const std::string& user = "") {
    if (options.on_event) options.on_event(plugin::Event{kind, vhost, name, user});
  }
  // Group commit, synchronously: makes the persistent messages and acks buffered so far
  // durable (boot and shutdown).
  void SyncMessages();

  // Group commit on the event loop (durable.cc): after a batch of input, the buffered
  // records are written and a generation number counts the write; up to
  // kSyncsInFlight fdatasyncs run on the sync worker, each covering every generation
  // written before it began; generations become durable in submission order.
  // One at a time: the next sync then covers everything that arrived during the last
  // one. Two in flight split a publisher's confirm window into smaller syncs and
  // measured slower (1 KB persistent messages, window 100: 65k against 48k msg/s;
  // four publishers: the same).
  // A publisher confirm waits for the generation of its batch: an ack once that is
  // durable, a nack if its write or fdatasync failed.
  struct Durability {
    uint64_t written = 0;  // the last generation written (or whose write failed)
    uint64_t last_ok = 0;  // the last generation written successfully
    uint64_t durable = 0;  // every generation up to this one is resolved
    uint64_t submitted = 0;  // the target of the last fdatasync started
    uint64_t wanted = 0;     // the newest generation a publisher confirm waits for
    struct Sync {
      uint64_t target;
      bool done = false;
      Status status;
    };
    std::deque<Sync> in_flight;  // in submission order
    std::vector<std::pair<uint64_t, uint64_t>> failed;  // [first, last] generations
    std::unique_ptr<SyncWorker> worker;
  };
  Durability durability;
  PagingOptions paging;  // from BrokerOptions, for every queue's lanes
  void CommitMessages();
  // A confirm waits for `generation`: an fdatasync covering it starts as soon as one may
  // (writes that nothing waits for, such as acks, are synced by the tick instead).
  void WantDurable(uint64_t generation);
  enum class Outcome { kPending, kAck, kNack };
  Outcome ConfirmOutcome(uint64_t generation) const;

 private:
  void StartSync();
  void OnSynced(uint64_t target, const Status& s);
  void Submit(int fd, uint64_t target);
  static constexpr int kSyncsInFlight = 1;
};

}  // namespace warren::broker
