#include "node/resources.h"

#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <vector>

namespace warren::node {

TEST_CASE("resources: the memory breakdown accounts for this process", "[node]") {
  // Touch some heap so the allocator has something in use.
  std::vector<std::unique_ptr<char[]>> blocks;
  for (int i = 0; i < 64; ++i) {
    blocks.emplace_back(new char[16384]);
    blocks.back()[0] = char(i);
  }
  MemoryBreakdown m = ReadMemoryBreakdown();
  REQUIRE(m.categories.size() == 7);
  uint64_t code = 0, heap = 0;
  for (const auto& [name, bytes] : m.categories) {
    if (name == "code") code = bytes;
    if (name == "heap") heap = bytes;
  }
  CHECK(code > 0);
  CHECK(heap >= 64 * 16384);
  CHECK(m.rss > code);
  CHECK(m.used <= m.allocated + 1);
  CHECK(ReadProcStatus("VmRSS") > 0);
  CHECK(TotalMemoryBytes() > m.rss);
}

TEST_CASE("resources: descriptors and sockets are counted", "[node]") {
  FdCounts before = ReadFdCounts();
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  FdCounts after = ReadFdCounts();
  ::close(fds[0]);
  ::close(fds[1]);
  CHECK(after.total == before.total + 2);
  CHECK(after.sockets == before.sockets + 2);
  CHECK(after.socket_inodes.size() == before.socket_inodes.size() + 2);
  CHECK(after.limit > 0);
}

TEST_CASE("resources: threads, disk space and connections are read", "[node]") {
  CHECK(ThreadCount() >= 1);
  CHECK(ThreadLimit() >= ThreadCount());
  CHECK(DiskFreeBytes("/") > 0);
  CHECK(DiskFreeBytes("/no/such/dir") == 0);
  // No socket of this process is an established TCP connection.
  CHECK(EstablishedConnections({1, 2, 3}, ReadFdCounts().socket_inodes) == 0);
}

}  // namespace warren::node
