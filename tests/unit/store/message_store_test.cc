#include "store/message_store.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <vector>

#include "unit/store/temp_dir.h"

namespace warren::store {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

// Records of queue "q" with a 20-byte payload take 42 bytes on disk:
// 8 (frame header) + 1 (type) + 4 (queue length) + 1 ("q") + 8 (id) + 20 (payload).
constexpr uint64_t kRecordBytes = 42;

struct Harness {
  TempDir dir;
  uint64_t segment_bytes = 64ull << 20;
  std::vector<std::string> warnings;

  std::unique_ptr<MessageStore> Open() {
    MessageStoreOptions o;
    o.dir = dir.path + "/msgs";
    o.segment_bytes = segment_bytes;
    o.warn = [this](const std::string& m) { warnings.push_back(m); };
    auto s = MessageStore::Open(std::move(o));
    REQUIRE(s.ok());
    return std::move(s).value();
  }

  std::vector<std::string> Segments() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir.path + "/msgs"))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string SegmentPath(size_t i) const { return dir.path + "/msgs/" + Segments().at(i); }
};

std::string Payload(uint64_t id) {
  std::string p = "message-" + std::to_string(id);
  p.resize(20, '.');
  return p;
}

void AppendAll(MessageStore& s, const std::string& queue, std::initializer_list<uint64_t> ids) {
  for (uint64_t id : ids) REQUIRE(s.Append(queue, id, Payload(id)).ok());
}

std::vector<uint64_t> Ids(const std::vector<RecoveredMessage>& messages) {
  std::vector<uint64_t> ids;
  for (const auto& m : messages) {
    CHECK(m.payload == Payload(m.id));
    ids.push_back(m.id);
  }
  return ids;
}

using IdList = std::vector<uint64_t>;

}  // namespace

TEST_CASE("message_store: synced messages come back after reopening, in append order",
          "[store]") {
  Harness h;
  {
    auto s = h.Open();
    CHECK(s->Recover().empty());
    CHECK_FALSE(s->dirty());
    AppendAll(*s, "a", {5, 6, 7});
    AppendAll(*s, std::string("vh\0b", 4), {1});
    AppendAll(*s, "a", {9});
    CHECK(s->dirty());
    const uint64_t before = fs::file_size(h.SegmentPath(0));
    REQUIRE(s->Sync().ok());
    CHECK_FALSE(s->dirty());
    CHECK(fs::file_size(h.SegmentPath(0)) == before + 4 * kRecordBytes + (kRecordBytes + 3));
    // Appended and never synced: not durable, not recovered.
    AppendAll(*s, "a", {10});
    CHECK(s->stats().live_messages == 6);
  }
  auto s = h.Open();
  auto recovered = s->Recover();
  REQUIRE(recovered.size() == 2);
  CHECK(Ids(recovered["a"]) == IdList{5, 6, 7, 9});
  CHECK(Ids(recovered[std::string("vh\0b", 4)]) == IdList{1});
  CHECK(s->Recover().empty());
  CHECK(s->stats().live_messages == 5);
  CHECK(h.warnings.empty());
}

TEST_CASE("message_store: removed messages stay removed", "[store]") {
  Harness h;
  {
    auto s = h.Open();
    AppendAll(*s, "q", {1, 2, 3, 4});
    REQUIRE(s->Sync().ok());
    s->Remove("q", 1);
    s->Remove("q", 3);
    REQUIRE(s->Sync().ok());
    // Removing what is not held writes nothing.
    s->Remove("q", 3);
    s->Remove("q", 99);
    s->Remove("other", 1);
    CHECK_FALSE(s->dirty());
    // Appended and removed within one batch.
    AppendAll(*s, "q", {5});
    s->Remove("q", 5);
    REQUIRE(s->Sync().ok());
    CHECK(s->stats().live_messages == 2);
  }
  auto s = h.Open();
  CHECK(Ids(s->Recover()["q"]) == IdList{2, 4});
}

TEST_CASE("message_store: RemoveQueue drops every message of that queue only", "[store]") {
  Harness h;
  {
    auto s = h.Open();
    AppendAll(*s, "q", {1, 2, 3});
    AppendAll(*s, "keep", {1});
    REQUIRE(s->Sync().ok());
    s->RemoveQueue("q");
    // A queue declared again after a purge or delete starts empty.
    AppendAll(*s, "q", {4});
    REQUIRE(s->Sync().ok());
    CHECK(s->stats().live_messages == 2);
  }
  auto s = h.Open();
  auto recovered = s->Recover();
  CHECK(Ids(recovered["q"]) == IdList{4});
  CHECK(Ids(recovered["keep"]) == IdList{1});
}

TEST_CASE("message_store: an id appended again replaces the held message", "[store]") {
  Harness h;
  {
    auto s = h.Open();
    REQUIRE(s->Append("q", 1, "old").ok());
    REQUIRE(s->Append("q", 1, Payload(1)).ok());
    REQUIRE(s->Sync().ok());
    CHECK(s->stats().live_messages == 1);
  }
  auto s = h.Open();
  CHECK(Ids(s->Recover()["q"]) == IdList{1});
}

TEST_CASE("message_store: segments roll over, and fully removed ones are deleted without "
          "bringing removed messages back",
          "[store]") {
  Harness h;
  h.segment_bytes = 3 * kRecordBytes;  // three appends fill a segment
  {
    auto s = h.Open();
    AppendAll(*s, "q", {1, 2, 3});
    REQUIRE(s->Sync().ok());  // segment 1: 1 2 3, full
    CHECK(s->stats().segments == 2);
    AppendAll(*s, "q", {4, 5, 6});
    s->Remove("q", 1);  // a removal in segment 2 of a message in segment 1
    REQUIRE(s->Sync().ok());  // segment 2: 4 5 6 -1
    s->Remove("q", 4);
    s->Remove("q", 5);
    s->Remove("q", 6);
    REQUIRE(s->Sync().ok());  // segment 3: -4 -5 -6
    // Segment 2 holds no live message, but deleting it would bring message 1 back
    // while segment 1 (holding 2 and 3) is on disk.
    CHECK(h.Segments().size() == 3);
    CHECK(s->stats().segments == 3);
  }
  {
    auto s = h.Open();
    CHECK(Ids(s->Recover()["q"]) == IdList{2, 3});
    CHECK(h.Segments().size() == 3);
    s->Remove("q", 2);
    s->Remove("q", 3);
    REQUIRE(s->Sync().ok());
    // Segment 1 goes, then segment 2 which it pinned; segment 3 is being written.
    CHECK(h.Segments() == std::vector<std::string>{"00000000000000000003.seg"});
    CHECK(s->stats().segments == 1);
    CHECK(s->stats().live_messages == 0);
    CHECK(s->stats().bytes == fs::file_size(h.SegmentPath(0)));
  }
  auto s = h.Open();
  CHECK(s->Recover().empty());
  CHECK(h.warnings.empty());
}

TEST_CASE("message_store: Recover streams held messages segment by segment", "[store]") {
  Harness h;
  h.segment_bytes = 3 * kRecordBytes;
  {
    auto s = h.Open();
    AppendAll(*s, "q", {1, 2, 3});  // segment 1
    REQUIRE(s->Sync().ok());
    AppendAll(*s, "q", {4});
    AppendAll(*s, "r", {1});
    s->Remove("q", 2);
    REQUIRE(s->Sync().ok());  // segment 2
    REQUIRE(s->Append("q", 4, Payload(4)).ok());  // 4 again, in the same segment
    AppendAll(*s, "q", {5});
    REQUIRE(s->Sync().ok());
  }
  auto s = h.Open();
  std::vector<std::pair<std::string, uint64_t>> seen;
  REQUIRE(s->Recover([&](const std::string& queue, uint64_t id, std::string_view payload) {
                CHECK(payload == Payload(id));
                seen.emplace_back(queue, id);
              }).ok());
  // In append order; the id appended twice comes once, last.
  CHECK(seen == std::vector<std::pair<std::string, uint64_t>>{
                    {"q", 1}, {"q", 3}, {"r", 1}, {"q", 5}, {"q", 4}});
  CHECK(s->stats().live_messages == 5);
  CHECK(h.warnings.empty());
}

TEST_CASE("message_store: WriteOut seals a full segment and hands it over for its sync",
          "[store]") {
  Harness h;
  h.segment_bytes = 3 * kRecordBytes;
  {
    auto s = h.Open();
    AppendAll(*s, "q", {1, 2});
    auto w = s->WriteOut();
    REQUIRE(w.ok());
    CHECK(w->wrote);
    CHECK(w->sealed_fd == -1);  // not full yet
    const int fd = s->SyncFd();
    REQUIRE(fd >= 0);
    CHECK(::fdatasync(fd) == 0);
    ::close(fd);
    s->Synced();
    AppendAll(*s, "q", {3});
    w = s->WriteOut();
    REQUIRE(w.ok());
    REQUIRE(w->sealed_fd >= 0);  // full: a new segment takes the next records
    CHECK(::fdatasync(w->sealed_fd) == 0);
    ::close(w->sealed_fd);
    CHECK(s->stats().segments == 2);
    AppendAll(*s, "q", {4});
    s->Remove("q", 1);
    w = s->WriteOut();
    REQUIRE(w.ok());
    CHECK(w->sealed_fd == -1);
    const int fd2 = s->SyncFd();
    CHECK(::fdatasync(fd2) == 0);
    ::close(fd2);
    s->Synced();
    auto nothing = s->WriteOut();
    REQUIRE(nothing.ok());
    CHECK(!nothing->wrote);
  }
  auto s = h.Open();
  CHECK(Ids(s->Recover()["q"]) == IdList{2, 3, 4});
  CHECK(h.warnings.empty());
}

TEST_CASE("message_store: a queue removal pins the segments whose messages it removed",
          "[store]") {
  Harness h;
  h.segment_bytes = 3 * kRecordBytes;
  {
    auto s = h.Open();
    AppendAll(*s, "q", {1, 2});
    AppendAll(*s, "keep", {1});
    REQUIRE(s->Sync().ok());  // segment 1
    s->RemoveQueue("q");
    REQUIRE(s->Sync().ok());  // segment 2: the queue removal only, not full
    AppendAll(*s, "z", {1, 2, 3});
    REQUIRE(s->Sync().ok());  // segment 2 full; segment 3 opened
    s->RemoveQueue("z");
    REQUIRE(s->Sync().ok());
    CHECK(h.Segments().size() == 3);
  }
  auto s = h.Open();
  auto recovered = s->Recover();
  CHECK(recovered.count("q") == 0);
  CHECK(recovered.count("z") == 0);
  CHECK(Ids(recovered["keep"]) == IdList{1});
}

TEST_CASE("message_store: a torn last segment is cut, earlier records are kept", "[store]") {
  Harness h;
  {
    auto s = h.Open();
    AppendAll(*s, "q", {1, 2, 3});
    REQUIRE(s->Sync().ok());
  }
  const std::string path = h.SegmentPath(0);
  fs::resize_file(path, 3 * kRecordBytes - 5);  // the third record lost its last bytes
  {
    auto s = h.Open();
    CHECK(Ids(s->Recover()["q"]) == IdList{1, 2});
    REQUIRE(h.warnings.size() == 1);
    CHECK(h.warnings[0] == "message store: " + path + ": torn record at offset 84; cut 37 bytes "
                           "from there, kept 2 whole records before it");
    CHECK(fs::file_size(path) == 2 * kRecordBytes);
    // Appending after the cut gives a clean segment.
    AppendAll(*s, "q", {4});
    REQUIRE(s->Sync().ok());
  }
  h.warnings.clear();
  auto s = h.Open();
  CHECK(Ids(s->Recover()["q"]) == IdList{1, 2, 4});
  CHECK(h.warnings.empty());
}

TEST_CASE("message_store: a corrupt byte drops the rest of its segment only", "[store]") {
  Harness h;
  h.segment_bytes = 3 * kRecordBytes;
  {
    auto s = h.Open();
    for (uint64_t first : {1, 4, 7}) {
      AppendAll(*s, "q", {first, first + 1, first + 2});
      REQUIRE(s->Sync().ok());
    }
    CHECK(h.Segments().size() == 4);
  }
  const std::string middle = h.SegmentPath(1);
  {
    std::fstream f(middle, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(kRecordBytes + 30);  // inside the payload of message 5
    f.put('X');
  }
  auto s = h.Open();
  CHECK(Ids(s->Recover()["q"]) == IdList{1, 2, 3, 4, 7, 8, 9});
  REQUIRE(h.warnings.size() == 1);
  CHECK(h.warnings[0] == "message store: " + middle + ": checksum mismatch at offset 42; cut 84 "
                         "bytes from there, kept 1 whole records before it");
}

TEST_CASE("message_store: an empty directory opens empty; a missing one is created", "[store]") {
  Harness h;
  fs::create_directory(h.dir.path + "/msgs");
  auto s = h.Open();
  CHECK(s->Recover().empty());
  CHECK(s->stats().segments == 1);
  CHECK(s->stats().live_messages == 0);
  CHECK(s->Sync().ok());

  MessageStoreOptions nested;
  nested.dir = h.dir.path + "/a/b/c";
  auto created = MessageStore::Open(nested);
  REQUIRE(created.ok());
  CHECK(fs::is_directory(nested.dir));
}

TEST_CASE("message_store: a directory that cannot be created is Unavailable", "[store]") {
  TempDir dir;
  std::ofstream(dir.path + "/file") << "x";
  MessageStoreOptions o;
  o.dir = dir.path + "/file/msgs";
  auto s = MessageStore::Open(o);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().kind() == ErrorKind::kUnavailable);
  CHECK(s.status().message().find(o.dir) != std::string::npos);
  CHECK(MessageStore::Open(MessageStoreOptions{}).status().kind() == ErrorKind::kBadInput);
}

}  // namespace warren::store
