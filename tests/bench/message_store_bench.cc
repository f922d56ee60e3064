// Message store group-commit benchmark: appends N 16-byte persistent messages in
// batches of 100, one Sync (one write + one fdatasync) per batch, and prints msgs/s and
// syncs/s. Usage: bench_message_store [N] [dir]; without a dir it uses a fresh one under
// /var/tmp and removes it afterwards (docs/storage.md, "Benchmark").
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "store/message_store.h"

int main(int argc, char** argv) {
  const uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000;
  constexpr uint64_t kBatch = 100;
  std::string dir;
  bool own_dir = argc <= 2;
  if (own_dir) {
    char tmpl[] = "/var/tmp/warren-bench-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    dir = tmpl;
  } else {
    dir = argv[2];
  }
  warren::store::MessageStoreOptions options;
  options.dir = dir + "/msgs";
  auto opened = warren::store::MessageStore::Open(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  auto& store = *opened.value();
  (void)store.Recover();
  const std::string queue("bench\0q1", 8);
  const std::string payload(16, 'm');
  uint64_t syncs = 0;
  std::chrono::duration<double> in_sync{0};
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t id = 1; id <= n; ++id) {
    warren::Status s = store.Append(queue, id, payload);
    if (s.ok() && (id % kBatch == 0 || id == n)) {
      const auto before = std::chrono::steady_clock::now();
      s = store.Sync();
      in_sync += std::chrono::steady_clock::now() - before;
      ++syncs;
    }
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%llu messages of 16 bytes, batches of %llu: %.3f s, %.0f msgs/s, %.0f syncs/s, "
              "%.2f ms per sync, %.0f ns per Append, %llu bytes in %llu segment(s)\n",
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(kBatch), secs,
              double(n) / secs, double(syncs) / secs, 1e3 * in_sync.count() / double(syncs),
              1e9 * (secs - in_sync.count()) / double(n),
              static_cast<unsigned long long>(store.stats().bytes),
              static_cast<unsigned long long>(store.stats().segments));
  if (own_dir) std::filesystem::remove_all(dir);
  return 0;
}
