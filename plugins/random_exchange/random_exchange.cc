// rabbitmq_random_exchange: the x-random exchange type. Each message goes to exactly one
// of the exchange's bindings, chosen uniformly at random; the routing key is ignored,
// as in RabbitMQ's plugin of the same name.
#include <random>

#include "plugin/api.h"

namespace {

using namespace warren;

class RandomType : public plugin::ExchangeType {
 public:
  std::string description() const override { return "Picks one binding at random to route to"; }
  void Route(std::string_view, const std::vector<std::string_view>& binding_keys,
             std::vector<size_t>& chosen) const override {
    if (binding_keys.empty()) return;
    // One generator per shard thread: shards route at once.
    thread_local std::minstd_rand rng{std::random_device{}()};
    chosen.push_back(std::uniform_int_distribution<size_t>(0, binding_keys.size() - 1)(rng));
  }
};

class RandomExchange : public plugin::Plugin {
 public:
  Status Start(plugin::Context& ctx) override {
    return ctx.RegisterExchangeType("x-random", std::make_shared<RandomType>());
  }
};

}  // namespace

WARREN_PLUGIN(RandomExchange)
