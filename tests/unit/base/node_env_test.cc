#include "base/node_env.h"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace warren {
namespace {
EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](std::string_view k) -> std::optional<std::string> {
    auto it = vars.find(std::string(k));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}
}  // namespace

TEST_CASE("node_env: paths and ports derive from the node name and WARREN_* variables", "[base]") {
  auto e = ResolveNodeEnv(FakeEnv({{"WARREN_NODENAME", "n1@h"}, {"WARREN_BASE", "/b"},
                                   {"WARREN_NODE_PORT", "5700"}, {"WARREN_RUN_DIR", "/r"}}),
                          std::nullopt);
  REQUIRE(e.ok());
  CHECK(e->node.full() == "n1@h");
  CHECK(e->data_dir == "/b/data/n1@h");
  CHECK(e->log_file == "/b/log/n1@h.log");
  CHECK(e->pid_file == "/b/data/n1@h.pid");
  CHECK(e->control_socket == "/r/n1@h.sock");
  CHECK(e->node_port == 5700);
  CHECK(e->dist_port == 25700);
  CHECK(e->enabled_plugins_file == "/b/enabled_plugins");
}

TEST_CASE("node_env: RABBITMQ_* names are read when WARREN_* are unset", "[base]") {
  auto e = ResolveNodeEnv(FakeEnv({{"RABBITMQ_NODENAME", "rabbit@x"}, {"RABBITMQ_NODE_PORT", "5681"},
                                   {"RABBITMQ_DIST_PORT", "25999"}, {"HOME", "/home/u"},
                                   {"RABBITMQ_MNESIA_BASE", "/m"}}),
                          std::nullopt);
  REQUIRE(e.ok());
  CHECK(e->node.full() == "rabbit@x");
  CHECK(e->node_port == 5681);
  CHECK(e->dist_port == 25999);
  CHECK(e->data_dir == "/m/rabbit@x");
  CHECK(e->base_dir == "/home/u/.local/share/warren");
}

TEST_CASE("node_env: a bad node name or port is refused with the reason", "[base]") {
  CHECK(ParseNodeName("a@").status().kind() == ErrorKind::kBadInput);
  CHECK(ParseNodeName("@b").status().kind() == ErrorKind::kBadInput);
  CHECK(ParseNodeName("a b@c").status().kind() == ErrorKind::kBadInput);
  CHECK(ParseNodeName("solo").value().host == ShortHostname());
  auto e = ResolveNodeEnv(FakeEnv({{"WARREN_NODE_PORT", "70000"}}), std::nullopt);
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().message().find("WARREN_NODE_PORT") != std::string::npos);
  CHECK_FALSE(ResolveNodeEnv(FakeEnv({{"WARREN_NODE_PORT", "50000"}}), std::nullopt).ok());
}

TEST_CASE("node_env: the cookie file is read without its line end; an empty one is refused",
          "[base]") {
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("warren-cookie-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  auto ok = ReadCookieFile(write("good", "SECRETCOOKIE\n"));
  REQUIRE(ok.ok());
  CHECK(*ok == "SECRETCOOKIE");
  auto empty = ReadCookieFile(write("empty", "\n"));
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().message() == "the cookie file " + dir + "/empty is empty");
  auto missing = ReadCookieFile(dir + "/missing");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("cannot read the cookie file " + dir + "/missing") == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("node_env: holder names name a node and one of its shards", "[base]") {
  CHECK(HolderName("a@h", 0) == "a@h");
  CHECK(HolderName("a@h", 3) == "a@h/3");
  CHECK(HolderNode("a@h/3") == "a@h");
  CHECK(HolderNode("a@h") == "a@h");
  CHECK(HolderShard("a@h", "a@h") == 0);
  CHECK(HolderShard("a@h/3", "a@h") == 3);
  CHECK(HolderShard(HolderName("a@h", 12), "a@h") == 12);
  // Another node, or no shard number: none of this node's.
  CHECK_FALSE(HolderShard("b@h/1", "a@h"));
  CHECK_FALSE(HolderShard("a@hx/1", "a@h"));
  CHECK_FALSE(HolderShard("a@h/", "a@h"));
  CHECK_FALSE(HolderShard("a@h/x", "a@h"));
  CHECK_FALSE(HolderShard("a@h/1x", "a@h"));
  CHECK_FALSE(HolderShard("a@h/-1", "a@h"));
}

}  // namespace warren
