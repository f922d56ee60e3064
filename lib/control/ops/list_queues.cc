#include <algorithm>
#include <charconv>
#include <chrono>
#include <set>

#include "base/node_env.h"
#include "broker/broker.h"
#include "cluster/cluster.h"
#include "control/ops/engine.h"
#include "control/ops/ops.h"
#include "control/ops/util.h"

namespace warren::control::ops {
namespace {

using std::chrono::milliseconds;

// How long the other members get to answer: half the caller's timeout (?timeout=<ms>,
// what the CLI waits), at most 5 s. A member silent that long (stopped with SIGSTOP,
// cut off) is listed as down, before the CLI gives up on this node.
milliseconds MemberWait(const OpRequest& req) {
  constexpr milliseconds kMost{5000};
  const std::string text = req.param("timeout");
  long ms = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc() || end != text.data() + text.size() || ms <= 0) return kMost;
  return std::min(kMost, milliseconds(ms / 2));
}

// A durable queue of a member that did not answer, as RabbitMQ lists a queue of a down
// node (rabbit_queue_type:i_down): what the metadata knows and state "down"; RabbitMQ
// prints every other info item as '' (the CLI fills them in).
json DownRow(const meta::Queue& q) {
  return {{"vhost", q.vhost},
          {"name", q.name},
          {"durable", q.durable},
          {"auto_delete", q.auto_delete},
          {"arguments", q.arguments},
          // The member is not there to say which process held the queue.
          {"pid", broker::PidText(q.node, 0, 0)},
          {"type", "classic"},
          {"state", "down"}};
}

}  // namespace

// Path: /api/queues/{vhost}?local=&online=&offline=&timeout=<ms>; rows as the engine
// lists them (broker.h). As rabbitmqctl list_queues in a cluster: this node's queues,
// those of every other member that answers (each lists its own: "local"), and the
// durable queues of the members that do not, as down (their non-durable queues are in
// the metadata too, but RabbitMQ lists only durable ones). local=true lists this node's
// alone and wins over the others; online=true only the answering members' queues;
// offline=true only the down ones. A node alone has no down queues.
Result<json> ListQueues(OpContext& ctx, const OpRequest& req) {
  const std::string vhost = Vhost(req);
  WARREN_ASSIGN_OR_RETURN(broker::Broker * b, EngineFor(ctx, vhost));
  if (req.param("local") == "true") return b->ListQueues(vhost);
  bool online = req.param("online") == "true", offline = req.param("offline") == "true";
  if (!online && !offline) online = offline = true;

  json rows = online ? b->ListQueues(vhost) : json::array();
  std::set<std::string> up = {ctx.node.env().node.full()};
  cluster::Cluster* c = ctx.node.cluster();
  if (c && c->clustered()) {
    const json answers = c->Ask({{"op", "queues"}, {"vhost", vhost}}, MemberWait(req));
    for (const auto& [node, theirs] : answers.items()) {
      if (!theirs.is_array()) continue;
      up.insert(node);
      if (online) rows.insert(rows.end(), theirs.begin(), theirs.end());
    }
  }
  if (!offline) return rows;
  for (const auto& [key, q] : State(ctx).queues())
    if (q.durable && q.vhost == vhost && !q.node.empty() && !up.count(HolderNode(q.node)))
      rows.push_back(DownRow(q));
  return rows;
}

}  // namespace warren::control::ops
