#include "meta/replica.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <deque>
#include <thread>

#include "unit/store/temp_dir.h"

namespace warren::meta {
namespace {
using testing::TempDir;

StoreOptions Opts(const std::string& dir) {
  StoreOptions o;
  o.dir = dir;
  o.initial_guest_hash = [] { return std::string("hash"); };
  return o;
}

// Commands of every kind, some of them refused by the state.
std::vector<json> Workload(int n) {
  std::vector<json> out;
  for (int i = 0; i < n; ++i) {
    const std::string vh = "v" + std::to_string(i % 7);
    const std::string q = "q" + std::to_string(i);
    out.push_back({{"op", "vhost.add"}, {"name", vh}});
    out.push_back({{"op", "user.add"}, {"name", "u" + std::to_string(i % 11)}});
    out.push_back({{"op", "permission.set"}, {"user", "u" + std::to_string(i % 11)}, {"vhost", vh},
                   {"configure", ".*"}, {"write", "^w"}, {"read", std::to_string(i)}});
    out.push_back({{"op", "queue.declare"}, {"vhost", vh}, {"name", q}, {"durable", true},
                   {"auto_delete", false}, {"arguments", json::object()}});
    out.push_back({{"op", "binding.add"}, {"vhost", vh}, {"source", "amq.direct"},
                   {"destination", q}, {"destination_type", "queue"}, {"routing_key", q},
                   {"arguments", json::object()}});
    if (i % 5 == 4) out.push_back({{"op", "vhost.delete"}, {"name", vh}});
    if (i % 3 == 2)
      out.push_back({{"op", "batch"},
                     {"commands", {{{"op", "user.add"}, {"name", "b" + std::to_string(i)}},
                                   {{"op", "user.add"}, {"name", "u0"}}}}});  // all or nothing
  }
  return out;
}
}  // namespace

TEST_CASE("replica: follows every change of its store, a reload and a reset included",
          "[meta]") {
  TempDir dir;
  auto opened = Store::Open(Opts(dir.path));
  REQUIRE(opened.ok());
  Store& store = **opened;
  Replica replica(store.state(), false, {});
  store.set_observer([&](const Store::Change& c) { replica.Push(c); });
  size_t refused = 0;
  for (const json& c : Workload(60)) {
    if (!store.Submit(c).ok()) ++refused;
    if (c["op"] == "queue.declare") {  // now and then, mid-stream
      replica.Drain();
      REQUIRE(replica.state().ToDefinitions() == store.state().ToDefinitions());
    }
  }
  CHECK(refused > 0);
  REQUIRE(store.ApplyReplicated({{"op", "user.add"}, {"name", "from-the-cluster"}}).ok());
  REQUIRE(store.ReplaceState(store.state().ToDefinitions()).ok());
  const uint64_t before = replica.revision();
  CHECK(replica.Drain());
  CHECK(replica.revision() != before);
  CHECK_FALSE(replica.Drain());  // nothing new
  CHECK(replica.state().ToDefinitions() == store.state().ToDefinitions());
  CHECK(replica.state().users().count("from-the-cluster") == 1);
  REQUIRE(store.Reset().ok());
  replica.Drain();
  CHECK(replica.state().ToDefinitions() == store.state().ToDefinitions());
  CHECK(replica.state().users().size() == 1);  // guest
}

TEST_CASE("replica: another thread drains while the store changes", "[meta]") {
  TempDir dir;
  auto opened = Store::Open(Opts(dir.path));
  REQUIRE(opened.ok());
  Store& store = **opened;
  Replica replica(store.state(), false, {});
  std::atomic<int> wakeups{0};
  store.set_observer([&](const Store::Change& c) {
    if (replica.Push(c)) ++wakeups;
  });
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done.load()) {
      replica.Drain();
      (void)replica.state().users().size();  // reads what it drained
    }
    replica.Drain();
  });
  for (const json& c : Workload(200)) (void)store.Submit(c);
  done = true;
  reader.join();
  CHECK(wakeups.load() > 0);
  CHECK(replica.state().ToDefinitions() == store.state().ToDefinitions());
}

TEST_CASE("replica: a change made through it is there when its answer comes", "[meta]") {
  TempDir dir;
  auto opened = Store::Open(Opts(dir.path));
  REQUIRE(opened.ok());
  Store& store = **opened;
  // The store's thread, played by a queue of tasks run later.
  std::deque<std::function<void()>> store_thread;
  Replica::Forward forward;
  forward.async = [&](json c, std::function<void(Status)> done) {
    store_thread.push_back([&store, c, done] { store.SubmitAsync(c, done); });
  };
  forward.sync = [&](const json& c) { return store.Submit(c); };
  Replica replica(store.state(), false, forward);
  store.set_observer([&](const Store::Change& c) { replica.Push(c); });

  std::vector<std::string> seen;
  replica.SubmitAsync({{"op", "user.add"}, {"name", "alice"}}, [&](Status s) {
    REQUIRE(s.ok());
    seen.push_back(replica.state().users().count("alice") ? "alice there" : "alice missing");
  });
  replica.SubmitAsync({{"op", "user.add"}, {"name", "alice"}}, [&](Status s) {
    seen.push_back(!s.ok() && s.kind() == ErrorKind::kAlreadyExists ? "refused" : "accepted");
  });
  CHECK(seen.empty());
  CHECK(replica.state().users().count("alice") == 0);
  while (!store_thread.empty()) {
    store_thread.front()();
    store_thread.pop_front();
  }
  CHECK(seen == std::vector<std::string>{"alice there", "refused"});
  REQUIRE(replica.Submit({{"op", "user.add"}, {"name", "bob"}}).ok());
  CHECK(replica.state().FindUser("bob") != nullptr);
  Status again = replica.Submit({{"op", "user.add"}, {"name", "bob"}});
  REQUIRE_FALSE(again.ok());
  CHECK(again.kind() == ErrorKind::kAlreadyExists);
}

}  // namespace warren::meta
