#include "store/record_log.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <vector>

#include "unit/store/temp_dir.h"

namespace warren::store {
namespace {

using testing::TempDir;

std::vector<std::string> Replay(const std::string& path, Recovery* rec) {
  std::vector<std::string> seen;
  auto log = RecordLog::Open(path, [&](std::string_view p) {
    seen.emplace_back(p);
    return Status::OK();
  }, rec);
  REQUIRE(log.ok());
  return seen;
}

}  // namespace

TEST_CASE("record_log: appended records come back in order after reopening", "[store]") {
  TempDir dir;
  std::string path = dir.path + "/log";
  {
    Recovery rec;
    auto log = RecordLog::Open(path, [](std::string_view) { return Status::OK(); }, &rec);
    REQUIRE(log.ok());
    REQUIRE((*log)->Append("one").ok());
    REQUIRE((*log)->AppendBatch({"two", "three"}).ok());
  }
  Recovery rec;
  auto seen = Replay(path, &rec);
  CHECK(seen == std::vector<std::string>{"one", "two", "three"});
  CHECK(rec.discarded_bytes == 0);
}

TEST_CASE("record_log: a torn or corrupt tail is cut at the last whole record", "[store]") {
  TempDir dir;
  std::string path = dir.path + "/log";
  {
    auto log = RecordLog::Open(path, [](std::string_view) { return Status::OK(); }, nullptr);
    REQUIRE((*log)->AppendBatch({"alpha", "beta"}).ok());
  }
  const auto whole = std::filesystem::file_size(path);

  SECTION("truncated in the middle of the last record") {
    std::filesystem::resize_file(path, whole - 2);
    Recovery rec;
    CHECK(Replay(path, &rec) == std::vector<std::string>{"alpha"});
    CHECK(rec.reason == "torn record");
    CHECK(rec.discarded_bytes == 8 + 4 - 2);
    CHECK(std::filesystem::file_size(path) == 8 + 5);
  }
  SECTION("a flipped byte in the last record") {
    {
      std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(long(whole) - 1);
      f.put('X');
    }
    Recovery rec;
    CHECK(Replay(path, &rec) == std::vector<std::string>{"alpha"});
    CHECK(rec.reason == "checksum mismatch");
  }
  SECTION("garbage appended after the records") {
    {
      std::ofstream f(path, std::ios::app | std::ios::binary);
      f.write("\x05\x00", 2);
    }
    Recovery rec;
    CHECK(Replay(path, &rec) == std::vector<std::string>{"alpha", "beta"});
    CHECK(rec.discarded_bytes == 2);
  }
  SECTION("a new record after recovery follows the last whole one") {
    std::filesystem::resize_file(path, whole - 1);
    {
      auto log = RecordLog::Open(path, [](std::string_view) { return Status::OK(); }, nullptr);
      REQUIRE((*log)->Append("gamma").ok());
    }
    Recovery rec;
    CHECK(Replay(path, &rec) == std::vector<std::string>{"alpha", "gamma"});
  }
}

TEST_CASE("record_log: WriteFileAtomically replaces the whole file", "[store]") {
  TempDir dir;
  std::string path = dir.path + "/snap";
  REQUIRE(WriteFileAtomically(path, "first").ok());
  REQUIRE(WriteFileAtomically(path, "second").ok());
  CHECK(*ReadWholeFile(path) == "second");
  CHECK(ReadWholeFile(dir.path + "/missing").status().kind() == ErrorKind::kNotFound);
}

TEST_CASE("record_log: ReadLineSet gives the distinct non-empty lines", "[store]") {
  TempDir dir;
  std::string path = dir.path + "/names";
  REQUIRE(WriteFileAtomically(path, "b@h\n\na@h\nb@h\nc@h").ok());
  CHECK(ReadLineSet(path) == std::set<std::string>{"a@h", "b@h", "c@h"});
  CHECK(ReadLineSet(dir.path + "/missing").empty());
}

}  // namespace warren::store
