#include "meta/store.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>

#include "unit/store/temp_dir.h"

namespace warren::meta {
namespace {
using testing::TempDir;

StoreOptions Opts(const std::string& dir, std::vector<std::string>* warnings = nullptr) {
  StoreOptions o;
  o.dir = dir;
  o.initial_guest_hash = [] { return std::string("hash"); };
  o.warn = [warnings](const std::string& m) {
    if (warnings) warnings->push_back(m);
  };
  return o;
}
}  // namespace

TEST_CASE("store: submitted commands survive reopening, with or without a snapshot", "[meta]") {
  TempDir dir;
  {
    auto s = Store::Open(Opts(dir.path));
    REQUIRE(s.ok());
    REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "a"}}).ok());
    REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "b"}}).ok());
    REQUIRE((*s)->Snapshot().ok());
    REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "c"}}).ok());
    CHECK((*s)->Submit({{"op", "user.add"}, {"name", "c"}}).kind() == ErrorKind::kAlreadyExists);
  }
  auto s = Store::Open(Opts(dir.path));
  REQUIRE(s.ok());
  CHECK((*s)->state().users().size() == 4);  // guest, a, b, c
  CHECK((*s)->last_seq() == 3);
}

TEST_CASE("store: records already folded into the snapshot are not applied twice", "[meta]") {
  TempDir dir;
  std::vector<std::string> warnings;
  {
    auto s = Store::Open(Opts(dir.path));
    REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "a"}}).ok());
    // A crash between writing a snapshot and emptying the log leaves both on disk.
    std::filesystem::copy_file(dir.path + "/commands.log", dir.path + "/saved.log");
    REQUIRE((*s)->Snapshot().ok());
  }
  std::filesystem::rename(dir.path + "/saved.log", dir.path + "/commands.log");
  auto s = Store::Open(Opts(dir.path, &warnings));
  REQUIRE(s.ok());
  CHECK((*s)->state().users().count("a") == 1);
  CHECK((*s)->last_seq() == 1);
  CHECK(warnings.empty());
  REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "b"}}).ok());
  CHECK((*s)->last_seq() == 2);
}

TEST_CASE("store: a corrupt snapshot stops the node with the file named", "[meta]") {
  TempDir dir;
  { REQUIRE(Store::Open(Opts(dir.path)).ok()); }
  {
    std::ofstream f(dir.path + "/snapshot.json", std::ios::trunc);
    f << "{not json";
  }
  auto s = Store::Open(Opts(dir.path));
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message().find("snapshot.json") != std::string::npos);
}

TEST_CASE("store: SubmitAsync answers a local store at once, and hands a cluster one command "
          "at a time in order",
          "[meta]") {
  TempDir dir;
  auto s = Store::Open(Opts(dir.path));
  REQUIRE(s.ok());
  Store& store = **s;
  std::optional<Status> local;
  store.SubmitAsync({{"op", "user.add"}, {"name", "a"}}, [&](Status st) { local = st; });
  REQUIRE(local.has_value());
  CHECK(local->ok());
  CHECK(store.state().FindUser("a") != nullptr);

  // A cluster that answers later: the commands it was handed, and their callbacks.
  std::vector<std::pair<std::string, std::function<void(Status)>>> handed;
  store.SetReplicator([](const json&) { return Status::OK(); },
                      [&](const json& c, std::function<void(Status)> done) {
                        handed.emplace_back(c.value("name", ""), std::move(done));
                      });
  std::vector<std::string> answered;
  for (const char* name : {"b", "c", "d"})
    store.SubmitAsync({{"op", "user.add"}, {"name", name}}, [&answered, name](Status st) {
      answered.push_back(std::string(name) + (st.ok() ? "" : ":" + st.message()));
    });
  REQUIRE(handed.size() == 1);  // the next waits for this one's answer
  CHECK(handed[0].first == "b");
  handed[0].second(Status::OK());
  REQUIRE(handed.size() == 2);
  CHECK(handed[1].first == "c");
  handed[1].second(Status::Unavailable("no leader"));
  REQUIRE(handed.size() == 3);
  CHECK(handed[2].first == "d");
  handed[2].second(Status::OK());
  CHECK(answered == std::vector<std::string>{"b", "c:no leader", "d"});

  // Back to local mode with nothing queued: answered at once again.
  store.SetReplicator(nullptr, nullptr);
  local.reset();
  store.SubmitAsync({{"op", "user.add"}, {"name", "e"}}, [&](Status st) { local = st; });
  CHECK((local.has_value() && local->ok()));
}

}  // namespace warren::meta
