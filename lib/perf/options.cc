// Flag validation. Messages name the PerfTest flag so a user can
// find it in --help.
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "perf/perf.h"

namespace warren::perf {
namespace {

Status Bad(std::string message) { return Status::BadInput(std::move(message)); }

}  // namespace

Status ApplyFlag(std::string_view flag, Options& options) {
  if (flag == "persistent") {
    options.persistent = true;
  } else if (flag == "mandatory") {
    options.mandatory = true;
  } else {
    return Bad("-f/--flag: unknown flag \"" + std::string(flag) +
               "\" (expected persistent or mandatory)");
  }
  return Status::OK();
}

Status Validate(const Options& o) {
  if (auto uri = ParseUri(o.uri); !uri.ok()) return uri.status();
  if (o.producers < 0) return Bad("-x/--producers must be 0 or more");
  if (o.consumers < 0) return Bad("-y/--consumers must be 0 or more");
  if (o.producers == 0 && o.consumers == 0) {
    return Bad("nothing to do: -x/--producers and -y/--consumers are both 0");
  }
  if (o.size < 0 || o.size > (int64_t{1} << 30)) return Bad("-s/--size must be in 0..1 GiB");
  if (o.queue.size() > 255) return Bad("-u/--queue: a queue name is at most 255 bytes");
  if (o.exchange.size() > 255) return Bad("-e/--exchange: an exchange name is at most 255 bytes");
  if (o.routing_key.size() > 255) return Bad("-k/--routing-key is at most 255 bytes");
  if (!std::isfinite(o.time_s) || o.time_s < 0) return Bad("-z/--time must be 0 or more seconds");
  if (o.producer_messages < 0) return Bad("-C/--pmessages must be 0 or more");
  if (o.consumer_messages < 0) return Bad("-D/--cmessages must be 0 or more");
  if (o.qos < 0 || o.qos > 65535) return Bad("-q/--qos must be in 0..65535");
  if (o.confirm < 0) return Bad("-c/--confirm must be 0 or more");
  if (o.multi_ack_every < 0) return Bad("-m/--multi-ack-every must be 0 or more");
  if (o.multi_ack_every > 0 && o.autoack) {
    return Bad("-m/--multi-ack-every needs manual acks; drop -a/--autoack");
  }
  if (o.multi_ack_every > 0 && o.qos > 0 && o.multi_ack_every > o.qos) {
    return Bad(fmt::format("-m/--multi-ack-every {} exceeds -q/--qos {}: consumers would stall "
                           "waiting for messages the prefetch limit holds back",
                           o.multi_ack_every, o.qos));
  }
  if (!std::isfinite(o.rate) || o.rate < 0) return Bad("-r/--rate must be 0 or more msgs/s");
  if (o.consumers > 0 && o.queue.empty() && o.exchange.empty() && !o.routing_key.empty()) {
    return Bad("-k/--routing-key with the default exchange needs -u/--queue or -e/--exchange");
  }
  return Status::OK();
}

}  // namespace warren::perf
