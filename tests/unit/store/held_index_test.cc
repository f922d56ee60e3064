#include "store/internal/held_index.h"

#include <catch2/catch.hpp>
#include <vector>

namespace warren::store::internal {

TEST_CASE("held_index: ids in order form runs; others are kept one by one", "[store]") {
  HeldIndex idx;
  for (uint64_t id = 10; id < 20; ++id) CHECK(idx.Insert(id, 1));
  for (uint64_t id = 20; id < 25; ++id) CHECK(idx.Insert(id, 2));  // next segment: a new run
  CHECK(idx.Insert(30, 2));  // a gap: a new run
  CHECK(idx.size() == 16);
  CHECK(idx.Find(15) == 1u);
  CHECK(idx.Find(22) == 2u);
  CHECK(idx.Find(30) == 2u);
  CHECK(!idx.Find(25));
  CHECK(!idx.Find(9));
  CHECK_FALSE(idx.Insert(15, 3));  // held already

  CHECK(idx.Erase(15) == 1u);
  CHECK(!idx.Erase(15));
  CHECK(!idx.Find(15));
  // An id behind the newest run, not held: kept on its own, found and erased.
  CHECK(idx.Insert(15, 3));
  CHECK(idx.Insert(5, 3));
  CHECK(idx.Find(15) == 3u);
  CHECK(idx.Find(5) == 3u);
  CHECK(idx.size() == 17);

  std::vector<std::pair<uint64_t, uint64_t>> all;
  idx.ForEach([&](uint64_t id, uint64_t seg) { all.emplace_back(id, seg); });
  CHECK(all.size() == 17);

  for (auto [id, seg] : all) CHECK(idx.Erase(id) == seg);
  CHECK(idx.empty());
  CHECK(idx.size() == 0);
}
}  // namespace warren::store::internal
