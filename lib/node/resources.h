// Readings of the node process and its host, for status, memory_breakdown and the
// resource alarms: memory (from /proc/self/smaps and the allocator), file descriptors,
// threads, free disk space and established client connections. Linux only. Each call
// reads /proc afresh; pure functions apart from that, thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace warren::node {

// Physical memory of the host, in bytes (0 when unknown).
uint64_t TotalMemoryBytes();
// Bytes available to unprivileged users on the file system holding `dir` (0 on error).
uint64_t DiskFreeBytes(const std::string& dir);
// A field of /proc/self/status ("VmRSS", "VmHWM", "Threads"), in its unit (kB for Vm*).
uint64_t ReadProcStatus(const char* field);

struct MemoryBreakdown {
  // Categories in a fixed order: code, static_data, heap, allocated_unused, stack,
  // other_system, reserved_unallocated. Bytes each.
  std::vector<std::pair<std::string, uint64_t>> categories;
  uint64_t rss = 0;        // resident set size
  uint64_t allocated = 0;  // what the allocator obtained from the OS
  uint64_t used = 0;       // what the allocator handed out and is still in use
};
// Resident memory split by what it holds: executable code and static data of the binary
// and its libraries (file mappings), the allocator's heap in use and free, the main
// stack, kernel-provided mappings, and anonymous memory no allocator accounts for.
MemoryBreakdown ReadMemoryBreakdown();

struct FdCounts {
  uint64_t total = 0;    // open descriptors
  uint64_t sockets = 0;  // of which sockets
  uint64_t limit = 0;    // RLIMIT_NOFILE (soft)
  std::set<uint64_t> socket_inodes;
};
FdCounts ReadFdCounts();

// Threads of this process, and how many it may have (the lower of RLIMIT_NPROC and the
// kernel's threads-max).
uint64_t ThreadCount();
uint64_t ThreadLimit();

// Established TCP connections owned by this process whose local port is one of `ports`.
uint64_t EstablishedConnections(const std::set<int>& ports, const std::set<uint64_t>& inodes);

}  // namespace warren::node
