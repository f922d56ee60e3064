#include <catch2/catch.hpp>
#include <string>

#include "perf/perf.h"

namespace warren::perf {
namespace {

TEST_CASE("options: the defaults are valid", "[perf]") { CHECK(Validate(Options{}).ok()); }

TEST_CASE("options: out-of-range and contradictory flags are refused by name", "[perf]") {
  struct Case {
    const char* what;
    void (*change)(Options&);
    const char* reason;
  };
  const Case cases[] = {
      {"bad uri", [](Options& o) { o.uri = "amqp://h:0/"; }, "invalid URI"},
      {"negative producers", [](Options& o) { o.producers = -1; }, "-x/--producers"},
      {"negative consumers", [](Options& o) { o.consumers = -2; }, "-y/--consumers"},
      {"nobody", [](Options& o) { o.producers = o.consumers = 0; }, "nothing to do"},
      {"negative size", [](Options& o) { o.size = -1; }, "-s/--size"},
      {"negative time", [](Options& o) { o.time_s = -1; }, "-z/--time"},
      {"negative pmessages", [](Options& o) { o.producer_messages = -1; }, "-C/--pmessages"},
      {"negative cmessages", [](Options& o) { o.consumer_messages = -1; }, "-D/--cmessages"},
      {"qos too big", [](Options& o) { o.qos = 65536; }, "-q/--qos"},
      {"negative confirm", [](Options& o) { o.confirm = -1; }, "-c/--confirm"},
      {"negative rate", [](Options& o) { o.rate = -5; }, "-r/--rate"},
      {"multi-ack with autoack",
       [](Options& o) {
         o.autoack = true;
         o.multi_ack_every = 10;
       },
       "drop -a/--autoack"},
      {"multi-ack over qos",
       [](Options& o) {
         o.qos = 5;
         o.multi_ack_every = 10;
       },
       "-m/--multi-ack-every 10 exceeds -q/--qos 5"},
      {"long queue name", [](Options& o) { o.queue = std::string(256, 'q'); }, "-u/--queue"},
      {"routing key to nowhere", [](Options& o) { o.routing_key = "rk"; }, "-k/--routing-key"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    Options o;
    c.change(o);
    const Status s = Validate(o);
    REQUIRE_FALSE(s.ok());
    CHECK(s.kind() == ErrorKind::kBadInput);
    CHECK_THAT(s.message(), Catch::Contains(c.reason));
  }
}

TEST_CASE("options: consistent combinations pass", "[perf]") {
  Options o;
  o.qos = 100;
  o.multi_ack_every = 100;
  o.confirm = 50;
  o.rate = 1000;
  o.routing_key = "rk";
  o.queue = "q1";
  CHECK(Validate(o).ok());
  o.producers = 0;
  CHECK(Validate(o).ok());
}

TEST_CASE("options: -f takes persistent and mandatory, nothing else", "[perf]") {
  Options o;
  REQUIRE(ApplyFlag("persistent", o).ok());
  CHECK(o.persistent);
  CHECK_FALSE(o.mandatory);
  REQUIRE(ApplyFlag("mandatory", o).ok());
  CHECK(o.mandatory);
  const Status s = ApplyFlag("immediate", o);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("unknown flag \"immediate\""));
}

}  // namespace
}  // namespace warren::perf
