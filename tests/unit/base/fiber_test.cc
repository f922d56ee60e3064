#include "base/fiber.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

namespace warren::fiber {
namespace {

// Deep enough to need more than a small stack: a fiber must hold what a loop handler
// holds.
int Depth(int n) {
  volatile char pad[1024];
  pad[0] = char(n);
  return n == 0 ? pad[0] : Depth(n - 1) + 1;
}

}  // namespace

TEST_CASE("fiber: runs to its end inside Start when it never waits", "[base]") {
  std::vector<std::string> seen;
  CHECK_FALSE(InFiber());
  Start([&] {
    seen.push_back(InFiber() ? "in" : "out");
    seen.push_back(std::to_string(Depth(1000)));
  });
  CHECK(seen == std::vector<std::string>{"in", "1000"});
  CHECK_FALSE(InFiber());
}

TEST_CASE("fiber: a wait returns control to the caller until resumed", "[base]") {
  std::vector<std::string> seen;
  Resume later;
  Start([&] {
    seen.push_back("before");
    Wait([&](Resume r) { later = std::move(r); });
    seen.push_back("after");
    CHECK(InFiber());
  });
  seen.push_back("caller");
  CHECK_FALSE(InFiber());
  REQUIRE(later);
  later();
  CHECK(seen == std::vector<std::string>{"before", "caller", "after"});
  later();  // a second call is ignored
  CHECK(seen.size() == 3);
}

TEST_CASE("fiber: a resume before the wait begins does not suspend", "[base]") {
  int steps = 0;
  Start([&] {
    Wait([](Resume r) { r(); });
    ++steps;
  });
  CHECK(steps == 1);
}

TEST_CASE("fiber: many waiting fibers resume in any order, with their own stacks", "[base]") {
  std::vector<Resume> waiting(200);
  std::vector<int> result(200, -1);
  for (int i = 0; i < 200; ++i) {
    Start([&, i] {
      int mine = i * 3;  // lives on this fiber's stack across the wait
      Wait([&](Resume r) { waiting[i] = std::move(r); });
      result[i] = mine;
    });
  }
  for (int i = 199; i >= 0; i -= 2) waiting[i]();
  for (int i = 0; i < 200; i += 2) waiting[i]();
  for (int i = 0; i < 200; ++i) CHECK(result[i] == i * 3);
}

TEST_CASE("fiber: a fiber may start and resume another", "[base]") {
  std::vector<std::string> seen;
  Resume inner_resume;
  Start([&] {
    Start([&] {
      Wait([&](Resume r) { inner_resume = std::move(r); });
      seen.push_back("inner");
    });
    seen.push_back("outer");
    inner_resume();
    seen.push_back("outer again");
  });
  CHECK(seen == std::vector<std::string>{"outer", "inner", "outer again"});
}

TEST_CASE("fiber: captures are released when the fiber ends", "[base]") {
  auto held = std::make_shared<int>(7);
  std::weak_ptr<int> watch = held;
  Resume later;
  Start([held = std::move(held), &later] { Wait([&](Resume r) { later = std::move(r); }); });
  CHECK_FALSE(watch.expired());
  later();
  CHECK(watch.expired());
}

}  // namespace warren::fiber
