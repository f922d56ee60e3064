// warren-perf's load generator, PerfTest-style: producers and consumers, each on its own
// AMQP 0-9-1 connection and thread, publish to and consume from one queue while a
// reporter prints send/receive rates and consumer latency once a second.
// ParseUri and Validate are pure; Run owns every thread it starts and joins them before
// it returns. Options and Summary are value types.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "base/status.h"

namespace warren::perf {

// An AMQP URI, amqp://user:password@host:port/vhost, with its parts percent-decoded.
struct Uri {
  std::string user = "guest";
  std::string password = "guest";
  std::string host = "localhost";  // without brackets for IPv6 literals
  uint16_t port = 5672;
  std::string vhost = "/";

  // "127.0.0.1:5672", "[::1]:5672": how messages name the peer.
  std::string Endpoint() const;
};

// BadInput naming what is wrong: scheme other than amqp, bad percent escape, empty or
// unterminated IPv6 host, port not in 1..65535, an unencoded '/' in the vhost, a query.
// "amqp://h" means vhost "/", "amqp://h/" the empty vhost, as the AMQP URI spec says.
Result<Uri> ParseUri(std::string_view text);

inline constexpr std::string_view kDefaultUri = "amqp://guest:guest@127.0.0.1:5672/%2F";

struct Options {
  std::string uri{kDefaultUri};
  int producers = 1;
  int consumers = 1;
  int64_t size = 12;        // body bytes; >= 12 carries a timestamp for latency
  std::string queue;        // empty: a server-named queue
  std::string exchange;     // empty: the default exchange
  std::string exchange_type = "direct";
  std::string routing_key;  // empty: the queue's name
  double time_s = 0;        // 0: until the message counts are reached or SIGINT
  int64_t producer_messages = 0;  // per producer; 0 = unlimited
  int64_t consumer_messages = 0;  // per consumer; 0 = unlimited
  bool autoack = false;
  int64_t qos = 0;          // prefetch count; 0 = unlimited
  int64_t confirm = 0;      // publisher confirms with at most this many outstanding; 0 = off
  bool persistent = false;  // delivery-mode 2
  bool mandatory = false;
  int64_t multi_ack_every = 0;  // ack with multiple=true every N messages; 0 = ack each
  double rate = 0;              // per producer, msgs/s; 0 = unlimited
  bool json = false;
};

// Applies one -f/--flag value ("persistent" or "mandatory"); BadInput for anything else.
Status ApplyFlag(std::string_view flag, Options& options);

// BadInput naming the first flag that is out of range or contradicts another; pure.
Status Validate(const Options& options);

// Bodies of at least this many bytes carry the publish time (8 bytes) and a sequence
// number (4 bytes); smaller bodies are sent as zeros and their latency is not measured.
inline constexpr int64_t kTimestampedBodySize = 12;

struct LatencySummary {
  uint64_t count = 0;  // messages whose latency was measured
  uint64_t min_us = 0, median_us = 0, p75_us = 0, p95_us = 0, p99_us = 0;
};

struct Summary {
  std::string id;  // "test-114516-571"
  double duration_s = 0;
  uint64_t sent = 0;
  uint64_t confirmed = 0;
  uint64_t nacked = 0;
  uint64_t returned = 0;
  uint64_t received = 0;
  double send_rate = 0;     // sent / duration_s
  double receive_rate = 0;  // received / duration_s
  LatencySummary latency;
};

// The final report: the "sending rate avg" / "receiving rate avg" / latency lines, or
// with `json` a single JSON object; each ends with a newline.
std::string FormatSummary(const Summary& summary, bool json);

// Runs the test described by `options` (REQUIRES: Validate(options).ok()), printing a
// line per second to `out` unless options.json, and returns the totals. Stops at
// options.time_s, when the message counts are reached, or on SIGINT/SIGTERM.
// Unavailable when a connection cannot be made or is lost, AccessRefused when the
// user is refused, otherwise the server's close reason ("404 NOT_FOUND - ...").
Result<Summary> Run(const Options& options, std::ostream& out);

}  // namespace warren::perf
