#include "node/resources.h"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace warren::node {
namespace {

namespace fs = std::filesystem;

uint64_t ParseU64(const std::string& s, int base = 10) {
  return std::strtoull(s.c_str(), nullptr, base);
}

// One mapping's header line: "addr perms offset dev inode [path]".
struct Mapping {
  std::string perms;
  std::string path;
};

Mapping ParseMappingHeader(const std::string& line) {
  std::istringstream in(line);
  std::string addr, offset, dev, inode;
  Mapping m;
  in >> addr >> m.perms >> offset >> dev >> inode;
  std::getline(in, m.path);
  m.path.erase(0, m.path.find_first_not_of(' '));
  return m;
}

// smaps headers start with a hex address range; field lines start with "Name:".
bool IsMappingHeader(const std::string& line) {
  auto dash = line.find('-');
  auto colon = line.find(':');
  return dash != std::string::npos && (colon == std::string::npos || dash < colon) &&
         line.find(' ') > dash;
}

}  // namespace

uint64_t TotalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? uint64_t(pages) * uint64_t(page) : 0;
}

uint64_t DiskFreeBytes(const std::string& dir) {
  struct statvfs s;
  if (statvfs(dir.c_str(), &s) != 0) return 0;
  return uint64_t(s.f_bavail) * uint64_t(s.f_frsize);
}

uint64_t ReadProcStatus(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return ParseU64(line.substr(prefix.size()));
  }
  return 0;
}

MemoryBreakdown ReadMemoryBreakdown() {
  uint64_t code = 0, static_data = 0, anon = 0, stack = 0, kernel = 0;
  std::ifstream in("/proc/self/smaps");
  std::string line;
  Mapping current;
  while (std::getline(in, line)) {
    if (IsMappingHeader(line)) {
      current = ParseMappingHeader(line);
      continue;
    }
    if (line.rfind("Rss:", 0) != 0) continue;
    const uint64_t bytes = ParseU64(line.substr(4)) * 1024;
    const std::string& p = current.path;
    if (p == "[stack]") {
      stack += bytes;
    } else if (p == "[heap]" || p.empty()) {
      anon += bytes;
    } else if (p.front() == '[') {
      kernel += bytes;  // [vdso], [vvar], [vsyscall]
    } else if (current.perms.find('x') != std::string::npos) {
      code += bytes;
    } else {
      static_data += bytes;
    }
  }
  const struct mallinfo2 mi = ::mallinfo2();
  const uint64_t heap_used = mi.uordblks + mi.hblkhd;
  const uint64_t heap_free = mi.fordblks;
  const uint64_t accounted = heap_used + heap_free;

  MemoryBreakdown out;
  out.rss = ReadProcStatus("VmRSS") * 1024;
  out.allocated = mi.arena + mi.hblkhd;
  out.used = heap_used;
  out.categories = {
      {"code", code},
      {"static_data", static_data},
      {"heap", heap_used},
      {"allocated_unused", heap_free},
      {"stack", stack},
      {"other_system", kernel},
      // Resident anonymous memory the allocator does not account for: thread stacks and
      // pages reserved by mmap but not handed out.
      {"reserved_unallocated", anon > accounted ? anon - accounted : 0},
  };
  return out;
}

FdCounts ReadFdCounts() {
  FdCounts c;
  rlimit fds{};
  if (::getrlimit(RLIMIT_NOFILE, &fds) == 0) c.limit = fds.rlim_cur;
  std::error_code ec;
  for (auto it = fs::directory_iterator("/proc/self/fd", ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    ++c.total;
    std::error_code lec;
    const std::string target = fs::read_symlink(it->path(), lec).string();
    if (!lec && target.rfind("socket:[", 0) == 0) {
      ++c.sockets;
      c.socket_inodes.insert(ParseU64(target.substr(8)));
    }
  }
  return c;
}

uint64_t ThreadCount() { return ReadProcStatus("Threads"); }

uint64_t ThreadLimit() {
  uint64_t limit = 0;
  std::ifstream in("/proc/sys/kernel/threads-max");
  in >> limit;
  rlimit r{};
  if (::getrlimit(RLIMIT_NPROC, &r) == 0 && r.rlim_cur != RLIM_INFINITY &&
      (limit == 0 || r.rlim_cur < limit))
    limit = r.rlim_cur;
  return limit;
}

uint64_t EstablishedConnections(const std::set<int>& ports, const std::set<uint64_t>& inodes) {
  constexpr const char* kEstablished = "01";
  uint64_t n = 0;
  for (const char* table : {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
      std::istringstream f(line);
      std::string sl, local, remote, st, queues, timer, retr, uid, timeout, inode;
      if (!(f >> sl >> local >> remote >> st >> queues >> timer >> retr >> uid >> timeout >> inode))
        continue;
      if (st != kEstablished) continue;
      auto colon = local.rfind(':');
      if (colon == std::string::npos) continue;
      const int port = int(ParseU64(local.substr(colon + 1), 16));
      if (ports.count(port) && inodes.count(ParseU64(inode))) ++n;
    }
  }
  return n;
}

}  // namespace warren::node
