// warren_test_failing: Start fails after registering a route, which the node must remove.
#include "plugin/api.h"

namespace {

using namespace warren;

class FailingPlugin : public plugin::Plugin {
 public:
  Status Start(plugin::Context& ctx) override {
    plugin::HttpListenerSpec l;
    l.interface = "127.0.0.1";
    l.port = 0;  // any free port: only its removal matters
    l.protocol = "http/test";
    WARREN_TRY(ctx.AddHttpRoute(l, "GET", "/", [](const http::Request&) { return http::Response{}; }));
    return Status::Unavailable("the test plugin refuses to start");
  }
};

}  // namespace

WARREN_PLUGIN(FailingPlugin)
