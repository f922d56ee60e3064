#include "meta/store.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>

#include "unit/store/temp_dir.h"

namespace warren::meta {
namespace {
using testing::TempDir;

StoreOptions Opts(const std::string& dir, std::vector<std::string>* warnings = nullptr) {
  StoreOptions o;
  o.dir = dir;
  o.initial_guest_hash = [] { return std::string("hash"); };
  o.warn = [warnings](const std::string& m) {
    if (warnings) warnings->push_back(m);
  };
  return o;
}
}  // namespace

TEST_CASE("store: submitted commands survive reopening, with or without a snapshot", "[meta]") {
  TempDir dir;
  {
    auto s = Store::Open(Opts(dir.path));
    REQUIRE(s.ok());
    REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "a"}}).ok());
    REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "b"}}).ok());
    REQUIRE((*s)->Snapshot().ok());
    REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "c"}}).ok());
    CHECK((*s)->Submit({{"op", "user.add"}, {"name", "c"}}).kind() == ErrorKind::kAlreadyExists);
  }
  auto s = Store::Open(Opts(dir.path));
  REQUIRE(s.ok());
  CHECK((*s)->state().users().size() == 4);  // guest, a, b, c
  CHECK((*s)->last_seq() == 3);
}

TEST_CASE("store: records already folded into the snapshot are not applied twice", "[meta]") {
  TempDir dir;
  std::vector<std::string> warnings;
  {
    auto s = Store::Open(Opts(dir.path));
    REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "a"}}).ok());
    // A crash between writing a snapshot and emptying the log leaves both on disk.
    std::filesystem::copy_file(dir.path + "/commands.log", dir.path + "/saved.log");
    REQUIRE((*s)->Snapshot().ok());
  }
  std::filesystem::rename(dir.path + "/saved.log", dir.path + "/commands.log");
  auto s = Store::Open(Opts(dir.path, &warnings));
  REQUIRE(s.ok());
  CHECK((*s)->state().users().count("a") == 1);
  CHECK((*s)->last_seq() == 1);
  CHECK(warnings.empty());
  REQUIRE((*s)->Submit({{"op", "user.add"}, {"name", "b"}}).ok());
  CHECK((*s)->last_seq() == 2);
}

TEST_CASE("store: a corrupt snapshot stops the node with the file named", "[meta]") {
  TempDir dir;
  { REQUIRE(Store::Open(Opts(dir.path)).ok()); }
  {
    std::ofstream f(dir.path + "/snapshot.json", std::ios::trunc);
    f << "{not json";
  }
  auto s = Store::Open(Opts(dir.path));
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message().find("snapshot.json") != std::string::npos);
}

TEST_CASE("store: SubmitAsync answers a local store at once, and hands a cluster one command "
          "at a time in order",
          "[meta]") {
  TempDir dir;
  auto s = Store::Open(Opts(dir.path));
  REQUIRE(s.ok());
  Store& store = **s;
  std::optional<Status> local;
  store.SubmitAsync({{"op", "user.add"}, {"name", "a"}}, [&](Status st) { local = st; });
  REQUIRE(local.has_value());
  CHECK(local->ok());
  CHECK(store.state().FindUser("a") != nullptr);

  // A cluster that answers later: the commands it was handed, and their callbacks.
  std::vector<std::pair<std::string, std::function<void(Status)>>> handed;
  store.SetReplicator([](const json&) { return Status::OK(); },
                      [&](const json& c, std::function<void(Status)> done) {
                        handed.emplace_back(c.value("name", ""), std::move(done));
                      });
  std::vector<std::string> answered;
  for (const char* name : {"b", "c", "d"})
    store.SubmitAsync({{"op", "user.add"}, {"name", name}}, [&answered, name](Status st) {
      answered.push_back(std::string(name) + (st.ok() ? "" : ":" + st.message()));
    });
  REQUIRE(handed.size() == 1);  // the next waits for this one's answer
  CHECK(handed[0].first == "b");
  handed[0].second(Status::OK());
  REQUIRE(handed.size() == 2);
  CHECK(handed[1].first == "c");
  handed[1].second(Status::Unavailable("no leader"));
  REQUIRE(handed.size() == 3);
  CHECK(handed[2].first == "d");
  handed[2].second(Status::OK());
  CHECK(answered == std::vector<std::string>{"b", "c:no leader", "d"});

  // Back to local mode with nothing queued: answered at once again.
  store.SetReplicator(nullptr, nullptr);
  local.reset();
  store.SubmitAsync({{"op", "user.add"}, {"name", "e"}}, [&](Status st) { local = st; });
  CHECK((local.has_value() && local->ok()));
}

}  // namespace warren::meta

namespace warren::meta {
namespace {

// A background sync the test runs by hand: the fdatasync is real, its answer comes when
// the test says (or a failure the test chooses).
struct HeldSyncs {
  std::vector<std::pair<int, std::function<void(Status)>>> held;
  // Opens a store whose syncs are held here.
  std::unique_ptr<Store> Open(StoreOptions o) {
    o.sync_in_background = [this](int fd, std::function<void(Status)> done) {
      held.emplace_back(fd, std::move(done));
    };
    auto s = Store::Open(std::move(o));
    REQUIRE(s.ok());
    return std::move(s).value();
  }
  // Answers the oldest sync held: after a real fdatasync, or with `failure`.
  void AnswerOne(std::optional<Status> failure = std::nullopt) {
    REQUIRE(!held.empty());
    auto [fd, done] = std::move(held.front());
    held.erase(held.begin());
    Status s = failure ? *failure : (::fdatasync(fd) == 0 ? Status::OK() : Status::Unavailable("sync"));
    ::close(fd);
    done(s);
  }
};

}  // namespace

TEST_CASE("store: with a background sync, SubmitAsync answers once the disk has the command, "
          "and commands written meanwhile share the next sync", "[meta]") {
  TempDir dir;
  HeldSyncs syncs;
  {
    auto s = syncs.Open(Opts(dir.path));
    std::vector<std::string> answers;
    auto submit = [&](const std::string& user) {
      s->SubmitAsync({{"op", "user.add"}, {"name", user}},
                        [&answers, user](Status st) { answers.push_back(user + (st.ok() ? "" : "!")); });
    };
    submit("a");
    CHECK(answers.empty());                         // written, not yet durable
    CHECK(s->state().users().count("a") == 1);  // but applied
    REQUIRE(syncs.held.size() == 1);
    submit("b");
    submit("c");
    CHECK(syncs.held.size() == 1);  // one sync at a time
    // A refused command is answered at once and writes nothing.
    s->SubmitAsync({{"op", "user.add"}, {"name", "a"}},
                      [&answers](Status st) { answers.push_back(st.ok() ? "dup" : "dup refused"); });
    CHECK(answers == std::vector<std::string>{"dup refused"});
    syncs.AnswerOne();
    CHECK(answers == std::vector<std::string>{"dup refused", "a"});
    REQUIRE(syncs.held.size() == 1);  // b and c, together
    syncs.AnswerOne();
    CHECK(answers == std::vector<std::string>{"dup refused", "a", "b", "c"});
    CHECK(syncs.held.empty());
    // A synchronous Submit between them keeps the order on disk.
    submit("d");
    REQUIRE(s->Submit({{"op", "user.add"}, {"name", "e"}}).ok());
    syncs.AnswerOne();
    CHECK(answers.back() == "d");
  }
  auto reopened = Store::Open(Opts(dir.path));
  REQUIRE(reopened.ok());
  const Store& r = **reopened;
  for (const char* u : {"a", "b", "c", "d", "e"}) CHECK(r.state().users().count(u) == 1);
  CHECK(r.last_seq() == 5);
}

TEST_CASE("store: a failed background sync undoes what it did not make durable", "[meta]") {
  TempDir dir;
  HeldSyncs syncs;
  std::vector<std::string> warnings;
  {
    auto s = syncs.Open(Opts(dir.path, &warnings));
    std::vector<Status> answers;
    auto submit = [&](const std::string& user) {
      s->SubmitAsync({{"op", "user.add"}, {"name", user}},
                        [&answers](Status st) { answers.push_back(st); });
    };
    submit("kept");
    syncs.AnswerOne();
    submit("lost1");
    submit("lost2");
    syncs.AnswerOne(Status::Unavailable("EIO"));
    REQUIRE(answers.size() == 3);
    CHECK(answers[0].ok());
    CHECK(answers[1].kind() == ErrorKind::kUnavailable);
    CHECK(answers[1].message() == "cannot make the metadata change durable: EIO");
    CHECK(!answers[2].ok());
    CHECK(s->state().users().count("kept") == 1);
    CHECK(s->state().users().count("lost1") == 0);
    CHECK(s->state().users().count("lost2") == 0);
    REQUIRE(!warnings.empty());
    CHECK(warnings.back().find("undoing 2 changes") != std::string::npos);
    // The store goes on: the next command lands after the kept one.
    submit("after");
    syncs.AnswerOne();
    CHECK(answers.back().ok());
  }
  auto reopened = Store::Open(Opts(dir.path));
  REQUIRE(reopened.ok());
  const Store& r = **reopened;
  CHECK(r.state().users().count("kept") == 1);
  CHECK(r.state().users().count("lost1") == 0);
  CHECK(r.state().users().count("after") == 1);
}

TEST_CASE("store: a snapshot answers the commands it made durable", "[meta]") {
  TempDir dir;
  HeldSyncs syncs;
  auto s = syncs.Open(Opts(dir.path));
  int ok = 0;
  s->SubmitAsync({{"op", "user.add"}, {"name", "a"}}, [&ok](Status st) { ok += st.ok(); });
  REQUIRE(s->Snapshot().ok());
  CHECK(ok == 0);  // answered from the sync's completion, never from inside Snapshot
  syncs.AnswerOne();
  CHECK(ok == 1);
  CHECK(syncs.held.empty());
}

TEST_CASE("store: the revision moves with every change to the state, replicated ones too",
          "[meta]") {
  TempDir dir;
  auto s = Store::Open(Opts(dir.path));
  REQUIRE(s.ok());
  Store& store = **s;
  uint64_t seen = store.revision();
  auto moved = [&] {
    const bool m = store.revision() != seen;
    seen = store.revision();
    return m;
  };
  REQUIRE(store.Submit({{"op", "user.add"}, {"name", "a"}}).ok());
  CHECK(moved());
  CHECK(store.Submit({{"op", "user.add"}, {"name", "a"}}).kind() == ErrorKind::kAlreadyExists);
  CHECK_FALSE(moved());
  REQUIRE(store.ApplyReplicated({{"op", "user.add"}, {"name", "b"}}).ok());
  CHECK(moved());
  CHECK_FALSE(store.ApplyReplicated({{"op", "user.add"}, {"name", "b"}}).ok());
  CHECK_FALSE(moved());
  REQUIRE(store.ReplaceState(store.state().ToDefinitions()).ok());
  CHECK(moved());
  REQUIRE(store.Reset().ok());
  CHECK(moved());
}

}  // namespace warren::meta
