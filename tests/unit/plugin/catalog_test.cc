#include "plugin/catalog.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "plugin/api.h"

using namespace warren;
using namespace warren::plugin;

namespace {

std::string ManifestText(const std::string& name, const std::vector<std::string>& deps = {},
                     uint32_t abi = kAbiVersion) {
  nlohmann::json j = {{"name", name}, {"version", "1.0"}, {"description", "d"},
                      {"dependencies", deps}, {"abi", abi}, {"library", name + ".so"}};
  return j.dump();
}

std::string File(const std::string& name) { return name + ".plugin.json"; }

}  // namespace

TEST_CASE("enabled plugins file: RabbitMQ's Erlang-term list") {
  CHECK(*ParseEnabledPlugins("[].") == std::vector<std::string>{});
  CHECK(*ParseEnabledPlugins("") == std::vector<std::string>{});
  CHECK(*ParseEnabledPlugins("[rabbitmq_management,rabbitmq_shovel].\n") ==
        std::vector<std::string>{"rabbitmq_management", "rabbitmq_shovel"});
  CHECK(*ParseEnabledPlugins("% comment\n[ rabbitmq_management ,\n  'rabbitmq_shovel' ] .\n") ==
        std::vector<std::string>{"rabbitmq_management", "rabbitmq_shovel"});
  CHECK(FormatEnabledPlugins({"a", "b"}) == "[a,b].\n");
  CHECK(FormatEnabledPlugins({}) == "[].\n");
}

TEST_CASE("enabled plugins file: a malformed one names its line") {
  auto r = ParseEnabledPlugins("[rabbitmq_management,\nrabbitmq_shovel\n", "/x/enabled_plugins");
  REQUIRE(!r.ok());
  CHECK(r.status().message() ==
        "enabled plugins file /x/enabled_plugins line 3: expected ',' or ']' after rabbitmq_shovel");
  auto r2 = ParseEnabledPlugins("[a,b]\n");
  REQUIRE(!r2.ok());
  CHECK(r2.status().message().find("line 2: expected '.' after the list") != std::string::npos);
  auto r3 = ParseEnabledPlugins("rabbitmq_management.");
  REQUIRE(!r3.ok());
  CHECK(r3.status().message().find("line 1: expected '['") != std::string::npos);
  auto r4 = ParseEnabledPlugins("[a,,b].");
  REQUIRE(!r4.ok());
  CHECK(r4.status().message().find("expected a plugin name") != std::string::npos);
  auto r5 = ParseEnabledPlugins("[a].\n[b].\n");
  REQUIRE(!r5.ok());
  CHECK(r5.status().message().find("line 2: unexpected text") != std::string::npos);
}

TEST_CASE("catalog: dependencies resolve as rabbitmq-plugins resolves them") {
  Catalog c = CatalogFromManifests(
      "/p", {{File("mgmt"), ManifestText("mgmt", {"agent"})},
             {File("agent"), ManifestText("agent")},
             {File("fed"), ManifestText("fed")},
             {File("fed_mgmt"), ManifestText("fed_mgmt", {"mgmt", "fed"})}});
  REQUIRE(c.problems.empty());
  CHECK(WithDependencies(c, {"fed_mgmt"}) == std::set<std::string>{"agent", "fed", "fed_mgmt", "mgmt"});
  CHECK(WithDependencies(c, {"nosuch"}).empty());
  auto order = StartOrder(c, {"agent", "fed", "fed_mgmt", "mgmt"});
  auto pos = [&](const std::string& n) { return std::find(order.begin(), order.end(), n) - order.begin(); };
  CHECK(pos("agent") < pos("mgmt"));
  CHECK(pos("mgmt") < pos("fed_mgmt"));
  CHECK(pos("fed") < pos("fed_mgmt"));
  // Disabling a plugin disables the explicitly enabled plugins that need it.
  CHECK(WithoutDependents(c, {"fed", "fed_mgmt", "mgmt"}, {"mgmt"}) == std::vector<std::string>{"fed"});
  CHECK(WithoutDependents(c, {"fed", "fed_mgmt"}, {"agent"}) == std::vector<std::string>{"fed"});
}

TEST_CASE("catalog: unusable manifests are left out with a reason") {
  Catalog c = CatalogFromManifests(
      "/p", {{File("old"), ManifestText("old", {}, kAbiVersion + 1)},
             {File("orphan"), ManifestText("orphan", {"missing"})},
             {File("needs_orphan"), ManifestText("needs_orphan", {"orphan"})},
             {File("a"), ManifestText("a", {"b"})},
             {File("b"), ManifestText("b", {"a"})},
             {File("needs_a"), ManifestText("needs_a", {"a"})},
             {File("bad"), "{not json"},
             {File("misnamed"), ManifestText("other")},
             {File("ok"), ManifestText("ok")}});
  CHECK(c.plugins.size() == 1);
  CHECK(c.plugins.count("ok") == 1);
  auto has = [&](const std::string& text) {
    for (const auto& p : c.problems)
      if (p.find(text) != std::string::npos) return true;
    return false;
  };
  CHECK(has("plugin old in /p was built for plugin ABI " + std::to_string(kAbiVersion + 1)));
  CHECK(has("plugin orphan depends on missing, which is not in /p"));
  CHECK(has("plugin needs_orphan depends on orphan"));
  CHECK(has("depend on each other in a cycle: a -> b -> a"));
  CHECK(has("/p/bad.plugin.json is not a JSON object"));
  CHECK(has("names plugin other; the file must be called other.plugin.json"));
}

TEST_CASE("catalog: a missing plugins directory is a problem, not a crash") {
  Catalog c = ScanPlugins("/nonexistent/warren/plugins");
  CHECK(c.plugins.empty());
  REQUIRE(c.problems.size() == 1);
  CHECK(c.problems[0].find("the plugins directory /nonexistent/warren/plugins does not exist") == 0);
}
