#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "perf/perf.h"
#include "unit/perf/fake_broker.h"

namespace warren::perf {
namespace {

// Runs `o`, which must succeed, and returns its summary (and what it printed).
Summary MustRun(const Options& o, std::string* printed = nullptr) {
  std::ostringstream out;
  auto summary = Run(o, out);
  INFO(summary.status().message());
  REQUIRE(summary.ok());
  if (printed != nullptr) *printed = out.str();
  return *summary;
}

Options Counted(const testing::FakeBroker& broker, int64_t messages) {
  Options o;
  o.uri = broker.Uri();
  o.queue = "q1";
  o.producer_messages = messages;
  o.time_s = 20;  // a safety net: the counts end the run long before
  return o;
}

TEST_CASE("run: every published message is consumed, acked and timed", "[perf]") {
  testing::FakeBroker broker;
  Options o = Counted(broker, 5000);
  std::string printed;
  const Summary summary = MustRun(o, &printed);
  CHECK(summary.sent == 5000);
  CHECK(summary.received == 5000);
  CHECK(summary.latency.count == 5000);
  CHECK(summary.latency.min_us <= summary.latency.median_us);
  CHECK(summary.latency.median_us <= summary.latency.p99_us);
  CHECK(summary.duration_s > 0);
  CHECK(summary.send_rate > 0);
  CHECK_THAT(printed, Catch::Contains("starting consumer #0"));
  CHECK_THAT(printed, Catch::Contains("test stopped (Reached message limits)"));
  const auto seen = broker.seen();
  CHECK(seen.published == 5000);
  CHECK(seen.acks == 5000);  // one ack per message without -m
  CHECK(seen.multiple_acks == 0);
  CHECK(seen.declare.queue.get() == "q1");
  CHECK_FALSE(seen.declare.durable);
  CHECK_FALSE(seen.declare.auto_delete);
}

TEST_CASE("run: --multi-ack-every acks with multiple=true every N messages", "[perf]") {
  testing::FakeBroker broker;
  Options o = Counted(broker, 1000);
  o.multi_ack_every = 100;
  o.qos = 200;
  const Summary summary = MustRun(o);
  CHECK(summary.received == 1000);
  const auto seen = broker.seen();
  CHECK(seen.acks == 10);
  CHECK(seen.multiple_acks == 10);
  CHECK(seen.prefetch == 200);
}

TEST_CASE("run: acks, confirms and several workers add up", "[perf]") {
  struct Case {
    const char* what;
    void (*change)(Options&);
    uint64_t sent, confirmed, acks;
  };
  const Case cases[] = {
      {"autoack consumers send no acks", [](Options& o) { o.autoack = true; }, 1000, 0, 0},
      {"with confirms every message is confirmed", [](Options& o) { o.confirm = 10; }, 1000,
       1000, 1000},
      {"several producers and consumers share the counts",
       [](Options& o) {
         o.producers = 3;
         o.consumers = 2;
       },
       3000, 0, 3000},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    testing::FakeBroker broker;
    Options o = Counted(broker, 1000);
    c.change(o);
    const Summary summary = MustRun(o);
    CHECK(summary.sent == c.sent);
    CHECK(summary.received == c.sent);
    CHECK(summary.confirmed == c.confirmed);
    CHECK(summary.nacked == 0);
    CHECK(broker.seen().acks == c.acks);
  }
}

TEST_CASE("run: bodies spanning several frames and bodies too small to time", "[perf]") {
  testing::FakeBroker broker;  // frame-max 8192
  Options o = Counted(broker, 200);
  SECTION("20000 bytes") {
    o.size = 20000;
    const Summary summary = MustRun(o);
    CHECK(summary.received == 200);
    CHECK(summary.latency.count == 200);
  }
  SECTION("4 bytes") {
    o.size = 4;
    const Summary summary = MustRun(o);
    CHECK(summary.received == 200);
    CHECK(summary.latency.count == 0);
  }
}

TEST_CASE("run: without -u the queue is server-named and auto-delete", "[perf]") {
  testing::FakeBroker broker;
  Options o = Counted(broker, 100);
  o.queue.clear();
  const Summary summary = MustRun(o);
  CHECK(summary.received == 100);
  CHECK(broker.seen().declare.queue.get().empty());
  CHECK(broker.seen().declare.auto_delete);
}

TEST_CASE("run: the time limit stops an unlimited run and rates are printed", "[perf]") {
  testing::FakeBroker broker;
  Options o;
  o.uri = broker.Uri();
  o.queue = "q1";
  o.time_s = 1.5;
  o.rate = 2000;
  std::string printed;
  const Summary summary = MustRun(o, &printed);
  CHECK(summary.duration_s >= 1.5);
  // The rate limit holds: about 2000 msg/s for 1.5 s.
  CHECK(summary.sent >= 2500);
  CHECK(summary.sent <= 3100);
  CHECK_THAT(printed, Catch::Contains(", time 1.0"));
  CHECK_THAT(printed, Catch::Contains("test stopped (Reached time limit)"));
}

TEST_CASE("run: a wrong password fails the run with the server's reason", "[perf]") {
  testing::FakeBroker broker;
  Options o = Counted(broker, 10);
  o.uri = broker.Uri("wrong");
  std::ostringstream out;
  auto summary = Run(o, out);
  REQUIRE_FALSE(summary.ok());
  CHECK(summary.status().kind() == ErrorKind::kAccessRefused);
  CHECK_THAT(summary.status().message(), Catch::Contains("user 'guest' was refused"));
}

}  // namespace
}  // namespace warren::perf
