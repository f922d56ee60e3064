#include "cluster/internal/members.h"

#include <catch2/catch.hpp>

using namespace warren;
using namespace warren::cluster;
using json = nlohmann::json;

namespace {

json Add(const std::string& node, uint64_t id, const std::string& type = "disc") {
  return {{"op", "cluster.add_node"}, {"node", node}, {"id", id}, {"address", node + ":1"},
          {"type", type}};
}

}  // namespace

TEST_CASE("members: commands add, retype and remove members, sorted by name", "[cluster]") {
  MemberList m;
  REQUIRE(m.Apply("cluster.add_node", Add("b@h", 2)).ok());
  REQUIRE(m.Apply("cluster.add_node", Add("a@h", 1, "ram")).ok());
  auto list = m.List();
  REQUIRE(list.size() == 2);
  CHECK(list[0].node == "a@h");
  CHECK(list[0].type == NodeType::kRam);
  CHECK(m.Find("b@h")->id == 2);
  CHECK(m.Find("b@h")->address == "b@h:1");
  REQUIRE(m.Apply("cluster.set_type", {{"node", "a@h"}, {"type", "disc"}}).ok());
  CHECK(m.Find("a@h")->type == NodeType::kDisc);
  REQUIRE(m.Apply("cluster.remove_node", {{"node", "a@h"}}).ok());
  CHECK(m.Find("a@h") == nullptr);
  CHECK(m.Apply("cluster.noop", json::object()).ok());
}

TEST_CASE("members: bad commands change nothing and say why", "[cluster]") {
  MemberList m;
  REQUIRE(m.Apply("cluster.add_node", Add("a@h", 1)).ok());
  auto missing = m.Apply("cluster.remove_node", {{"node", "x@h"}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.kind() == ErrorKind::kNotFound);
  CHECK(missing.message() == "node x@h is not a member of the cluster");
  CHECK_FALSE(m.Apply("cluster.add_node", Add("b@h", 2, "floppy")).ok());
  CHECK_FALSE(m.Apply("cluster.add_node", {{"op", "cluster.add_node"}, {"node", "c@h"}}).ok());
  CHECK_FALSE(m.Apply("cluster.set_type", {{"node", "a@h"}, {"type", "tape"}}).ok());
  CHECK_FALSE(m.Apply("cluster.bogus", {{"node", "a@h"}}).ok());
  REQUIRE(m.List().size() == 1);
  CHECK(m.Find("a@h")->type == NodeType::kDisc);
}

TEST_CASE("members: a snapshot round-trips, and a malformed one is refused whole", "[cluster]") {
  MemberList m;
  REQUIRE(m.Apply("cluster.add_node", Add("a@h", 1)).ok());
  REQUIRE(m.Apply("cluster.add_node", Add("b@h", 2, "ram")).ok());
  MemberList copy;
  REQUIRE(copy.Replace(m.ToJson()).ok());
  CHECK(copy.ToJson() == m.ToJson());
  json broken = m.ToJson();
  broken.push_back({{"node", "c@h"}});
  CHECK_FALSE(copy.Replace(broken).ok());
  CHECK_FALSE(copy.Replace(json::object()).ok());
  CHECK(copy.ToJson() == m.ToJson());
}
