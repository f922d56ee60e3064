// warren_test_dependent: starts only after its dependency, warren_test_events, runs;
// it checks that by using the parameter component that plugin registers.
#include "plugin/api.h"

namespace {

using namespace warren;

class DependentPlugin : public plugin::Plugin {
 public:
  Status Start(plugin::Context& ctx) override {
    // Taken already: its dependency registered it first.
    Status s = ctx.RegisterParameterComponent(
        "warren-test-component",
        [](const std::string&, const std::string&, const plugin::json&) {
          return std::vector<std::string>{};
        });
    if (s.ok()) return Status::Precondition("warren_test_events should have started first");
    return Status::OK();
  }
};

}  // namespace

WARREN_PLUGIN(DependentPlugin)
