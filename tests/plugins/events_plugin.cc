// warren_test_events: what a real plugin would do with the interface, observable over
// HTTP on the port the setting warren.test_plugin.port names:
//   GET /events   the broker events seen since start, as a JSON list
//   GET /users    the admin service's list_users, called through the context
//   PUT /users/N  the admin service's add_user for N, password "pw"
//   GET /queues   the per-queue metrics' queue names
// and the parameter component "warren-test-component" (its values need a string "uri").
#include <string>
#include <vector>

#include "plugin/api.h"

namespace {

using namespace warren;
using plugin::json;

http::Response Json(const json& body, int status = 200) {
  http::Response r;
  r.status = status;
  r.headers["content-type"] = "application/json";
  r.body = body.dump();
  return r;
}

class EventsPlugin : public plugin::Plugin {
 public:
  Status Start(plugin::Context& ctx) override {
    const json s = ctx.settings();
    if (!s.contains("warren.test_plugin.port"))
      return Status::BadInput("set warren.test_plugin.port to the port to serve on");
    const auto& v = s["warren.test_plugin.port"];
    plugin::HttpListenerSpec l;
    l.interface = "127.0.0.1";
    l.port = v.is_string() ? std::stoi(v.get<std::string>()) : v.get<int>();
    l.protocol = "http/test";
    l.purpose = "test plugin";
    ctx.Subscribe([this](const plugin::Event& e) {
      events_.push_back({{"event", plugin::EventName(e.kind)},
                         {"vhost", e.vhost},
                         {"name", e.name},
                         {"user", e.user}});
    });
    WARREN_TRY(ctx.AddHttpRoute(l, "GET", "/events", [this](const http::Request&) {
      return Json(events_);
    }));
    WARREN_TRY(ctx.AddHttpRoute(l, "GET", "/users", [&ctx](const http::Request&) {
      auto r = ctx.CallAdmin("list_users", json::object());
      return r.ok() ? Json(*r) : Json({{"error", r.status().message()}}, 500);
    }));
    // Adds the user the path names (password "pw") through the admin service, then
    // counts it here: on a cluster member the call waits for the commit, and the
    // plugin must still be there when it returns, even if disabled meanwhile.
    WARREN_TRY(ctx.AddHttpRoute(l, "PUT", "/users/*", [this, &ctx](const http::Request& req) {
      const std::string name = req.path.substr(req.path.rfind('/') + 1);
      auto r = ctx.CallAdmin("add_user", {{"name", name}}, {{"password", "pw"}});
      ++users_added_;
      return r.ok() ? Json({{"added", users_added_}})
                    : Json({{"error", r.status().message()}}, 500);
    }));
    WARREN_TRY(ctx.AddHttpRoute(l, "GET", "/queues", [&ctx](const http::Request&) {
      json names = json::array();
      for (const auto& q : ctx.Metrics(true).queues) names.push_back(q.vhost + "/" + q.name);
      return Json(names);
    }));
    return ctx.RegisterParameterComponent(
        "warren-test-component", [](const std::string&, const std::string&, const json& value) {
          std::vector<std::string> errors;
          if (!value.is_object() || !value.contains("uri") || !value["uri"].is_string())
            errors.push_back("uri must be a string");
          return errors;
        });
  }

 private:
  json events_ = json::array();
  int users_added_ = 0;
};

}  // namespace

WARREN_PLUGIN(EventsPlugin)
