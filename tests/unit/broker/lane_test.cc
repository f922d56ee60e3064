#include "broker/lane.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace warren::broker {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("warren-lane-" + std::to_string(::getpid()) + "-" +
                                               std::to_string(reinterpret_cast<uintptr_t>(this)));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

Entry Make(uint64_t seq, const std::string& body, bool persistent = false) {
  Message m;
  m.body = body;
  m.exchange = "x";
  m.routing_key = "k" + std::to_string(seq);
  amqp::BasicProperties props;
  if (persistent) props.delivery_mode = 2;
  return Entry{WithProperties(m, props).value(), seq, int64_t(seq) * 10, seq % 2 == 0, false};
}

size_t FilesIn(const fs::path& dir) {
  return size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("lane: a backlog pages out and comes back in order, whole") {
  TempDir dir;
  PagingOptions paging{dir.path.string(), 100};
  Lane lane(&paging, "q1-0");
  for (uint64_t i = 0; i < 5000; ++i) lane.push_back(Make(i, std::string(i % 300, 'b'), i % 3 == 0));
  CHECK(lane.size() == 5000);
  CHECK(lane.in_memory().size() == 100);
  CHECK(lane.paged() == 4900);
  CHECK(lane.paged_persistent() > 0);
  CHECK(FilesIn(dir.path) == 1);
  for (uint64_t i = 0; i < 5000; ++i) {
    Entry* e = lane.front();
    REQUIRE(e != nullptr);
    CHECK(e->seq == i);
    CHECK(e->message->body == std::string(i % 300, 'b'));
    CHECK(e->message->routing_key == "k" + std::to_string(i));
    CHECK(e->expires_at == int64_t(i) * 10);
    CHECK(e->redelivered == (i % 2 == 0));
    CHECK(e->message->persistent() == (i % 3 == 0));
    lane.pop_front();
    // New messages keep their place behind the paged-out ones.
    if (i == 2500) lane.push_back(Make(9000, "late"));
  }
  REQUIRE(lane.front() != nullptr);
  CHECK(lane.front()->seq == 9000);
  lane.pop_front();
  CHECK(lane.empty());
  CHECK(lane.paged_persistent() == 0);
  CHECK(FilesIn(dir.path) == 0);
}

TEST_CASE("lane: requeued entries go back among the head by sequence") {
  TempDir dir;
  PagingOptions paging{dir.path.string(), 10};
  Lane lane(&paging, "q2-0");
  for (uint64_t i = 0; i < 50; ++i) lane.push_back(Make(i, "m"));
  Entry first = *lane.front();
  lane.pop_front();
  Entry second = *lane.front();
  lane.pop_front();
  lane.insert_by_seq(std::move(second));
  lane.insert_by_seq(std::move(first));
  for (uint64_t i = 0; i < 50; ++i) {
    REQUIRE(lane.front() != nullptr);
    CHECK(lane.front()->seq == i);
    lane.pop_front();
  }
  CHECK(lane.empty());
}

TEST_CASE("lane: clear drops the page file; no directory means no paging") {
  TempDir dir;
  PagingOptions paging{dir.path.string(), 10};
  Lane lane(&paging, "q3-0");
  for (uint64_t i = 0; i < 100000; ++i) lane.push_back(Make(i, "payload"));
  CHECK(FilesIn(dir.path) == 1);
  lane.clear();
  CHECK(lane.empty());
  CHECK(FilesIn(dir.path) == 0);

  PagingOptions none{"", 10};
  Lane memory(&none, "q4-0");
  for (uint64_t i = 0; i < 100; ++i) memory.push_back(Make(i, "m"));
  CHECK(memory.paged() == 0);
  CHECK(memory.in_memory().size() == 100);
}

TEST_CASE("lane: a corrupt page file loses its messages, counted, and nothing else") {
  TempDir dir;
  PagingOptions paging{dir.path.string(), 10};
  Lane lane(&paging, "q5-0");
  // Enough to be written to the file (the write buffer is 1 MB).
  for (uint64_t i = 0; i < 20000; ++i) lane.push_back(Make(i, std::string(100, 'c')));
  {
    std::fstream f(dir.path / "q5-0", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    const char zeros[4] = {0, 0, 0, 0};  // a record length no entry can have
    f.write(zeros, 4);
  }
  size_t delivered = 0;
  while (Entry* e = lane.front()) {
    (void)e;
    lane.pop_front();
    ++delivered;
  }
  const auto [lost, bytes] = lane.TakeLost();
  CHECK(delivered == 10);
  CHECK(lost == 19990);
  CHECK(bytes == 19990 * 100);
  CHECK(lane.empty());
}

}  // namespace warren::broker
