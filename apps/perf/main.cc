// warren-perf: a load generator with RabbitMQ PerfTest's flags; everything lives in
// lib/perf. Exit codes: 0 success, 1 the run failed, 64 bad flags.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "perf/perf.h"

namespace {

constexpr int kExitUsage = 64;

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "warren-perf: %s\n", message.c_str());
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  warren::perf::Options o;
  std::vector<std::string> flags;
  CLI::App app("warren-perf: AMQP 0-9-1 load generator with RabbitMQ PerfTest's flags "
               "(see docs/perf.md)",
               "warren-perf");
  app.set_help_flag("--help", "Print this help and exit");
  app.add_option("-h,--uri", o.uri, "Connection URI")->default_str(o.uri);
  app.add_option("-x,--producers", o.producers, "Producer count")->default_val(1);
  app.add_option("-y,--consumers", o.consumers, "Consumer count")->default_val(1);
  app.add_option("-s,--size", o.size, "Message body size in bytes (latency needs 12 or more)")
      ->default_val(12);
  app.add_option("-u,--queue", o.queue, "Queue name (default: a server-named queue)");
  app.add_option("-e,--exchange", o.exchange, "Exchange name (default: the default exchange)");
  app.add_option("-t,--type", o.exchange_type, "Exchange type")->default_val("direct");
  app.add_option("-k,--routing-key", o.routing_key, "Routing key (default: the queue name)");
  app.add_option("-z,--time", o.time_s, "Run duration in seconds (0: unlimited)");
  app.add_option("-C,--pmessages", o.producer_messages, "Messages per producer (0: unlimited)");
  app.add_option("-D,--cmessages", o.consumer_messages, "Messages per consumer (0: unlimited)");
  app.add_flag("-a,--autoack", o.autoack, "Consumers use automatic acknowledgements");
  app.add_option("-q,--qos", o.qos, "Consumer prefetch count (0: unlimited)");
  app.add_option("-c,--confirm", o.confirm,
                 "Publisher confirms with at most N unconfirmed messages (0: off)");
  app.add_option("-f,--flag", flags, "Message flag: persistent or mandatory (repeatable)")
      ->take_first();
  app.add_option("-m,--multi-ack-every", o.multi_ack_every,
                 "Ack with multiple=true every N messages (0: ack each)");
  app.add_option("-r,--rate", o.rate, "Rate limit per producer in msgs/s (0: unlimited)");
  app.add_flag("--json", o.json, "Print the final summary as one JSON object");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return Fail(kExitUsage, std::string(e.what()) + " (try --help)");
  }
  for (const std::string& flag : flags) {
    if (auto s = warren::perf::ApplyFlag(flag, o); !s.ok()) return Fail(kExitUsage, s.message());
  }
  if (auto s = warren::perf::Validate(o); !s.ok()) return Fail(kExitUsage, s.message());

  auto summary = warren::perf::Run(o, std::cout);
  if (!summary.ok()) return Fail(1, summary.status().message());
  std::cout << warren::perf::FormatSummary(*summary, o.json) << std::flush;
  return 0;
}
