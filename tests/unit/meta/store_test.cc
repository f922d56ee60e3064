#include "meta/store.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

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

}  // namespace warren::meta
