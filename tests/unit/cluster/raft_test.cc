#include "cluster/raft/raft_log.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

namespace warren::cluster {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Records what raft gave it; the state is the list of commands, a snapshot is that
// list joined by newlines.
class TestFsm : public StateMachine {
 public:
  void Apply(uint64_t index, std::string_view command) override {
    applied.emplace_back(index, std::string(command));
    state.emplace_back(command);
  }
  std::string Snapshot() override {
    std::string out;
    for (const auto& c : state) out += c + "\n";
    return out;
  }
  Status Restore(std::string_view snapshot) override {
    ++restores;
    state.clear();
    size_t start = 0;
    for (size_t nl; (nl = snapshot.find('\n', start)) != std::string_view::npos; start = nl + 1) {
      state.emplace_back(snapshot.substr(start, nl - start));
    }
    return Status::OK();
  }

  std::vector<std::pair<uint64_t, std::string>> applied;
  std::vector<std::string> state;
  int restores = 0;
};

// A fresh directory under the system's temporary directory, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "warren-raft-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The test's stand-in for warren's authenticated inter-node connections: a blocking
// loopback connect that writes the dialer's id as an 8-byte prefix.
void TestDial(uint64_t my_id, const std::string& address, const DialDone& done) {
  auto colon = address.rfind(':');
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
      ::write(fd, &my_id, sizeof my_id) != sizeof my_id) {
    std::string error = std::strerror(errno);
    ::close(fd);
    return done(-1, error);
  }
  done(fd, "");
}

// Nodes of one test, all on one io_context and one thread. Each node has its own
// acceptor (port chosen by the kernel) that reads the dialer's id and calls Accept.
class Cluster {
 public:
  struct Node {
    uint64_t id = 0;
    std::string address;
    std::string dir;
    std::unique_ptr<asio::ip::tcp::acceptor> acceptor;
    std::unique_ptr<TestFsm> fsm;
    std::unique_ptr<RaftLog> log;
  };

  ~Cluster() {
    for (auto& [id, n] : nodes_) n->log.reset();
  }

  Node& Add(uint64_t id) {
    auto n = std::make_unique<Node>();
    n->id = id;
    n->acceptor = std::make_unique<asio::ip::tcp::acceptor>(
        io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    n->address = "127.0.0.1:" + std::to_string(n->acceptor->local_endpoint().port());
    n->dir = (tmp_.path() / std::to_string(id)).string();
    fs::create_directories(n->dir);
    Node& node = *n;
    nodes_[id] = std::move(n);
    AcceptNext(node);
    return node;
  }

  Node& operator[](uint64_t id) { return *nodes_.at(id); }

  RaftOptions Options(const Node& n) {
    RaftOptions o;
    o.id = n.id;
    o.address = n.address;
    o.dir = n.dir;
    o.election_timeout_ms = 150;
    o.heartbeat_timeout_ms = 30;
    o.snapshot_threshold = snapshot_threshold;
    o.snapshot_trailing = snapshot_trailing;
    o.dial = [id = n.id](uint64_t, const std::string& address, DialDone done) {
      TestDial(id, address, done);
    };
    return o;
  }

  // Opens (with a fresh state machine) and starts a node; the first one bootstraps.
  void Start(Node& n, bool bootstrap = false) {
    n.fsm = std::make_unique<TestFsm>();
    auto log = RaftLog::Open(io, Options(n), n.fsm.get());
    REQUIRE(log.ok());
    n.log = std::move(log).value();
    if (bootstrap) REQUIRE(n.log->Bootstrap({Member{n.id, n.address, Role::kVoter}}).ok());
    Status started = n.log->Start();
    INFO(started.ToString());
    REQUIRE(started.ok());
  }

  void Stop(Node& n) {
    bool closed = false;
    n.log->Close([&] { closed = true; });
    REQUIRE(RunUntil([&] { return closed; }));
    n.log.reset();
  }

  bool RunUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      if (io.stopped()) io.restart();
      io.run_one_for(5ms);
    }
    return true;
  }

  // Runs a request that reports through a Done and waits for its outcome.
  Status Wait(const std::function<void(RaftLog::Done)>& start) {
    std::optional<Status> result;
    start([&](Status s) { result = std::move(s); });
    if (!RunUntil([&] { return result.has_value(); })) return Status::Timeout("no answer");
    return *result;
  }

  Status Propose(Node& n, const std::string& command) {
    std::optional<Status> result;
    n.log->Propose(command, [&](Status s, uint64_t) { result = std::move(s); });
    if (!RunUntil([&] { return result.has_value(); })) return Status::Timeout("no answer");
    return *result;
  }

  // The node that leads, among the started ones; null when none does yet.
  Node* Leader() {
    for (auto& [id, n] : nodes_) {
      if (n->log && n->log->IsLeader()) return n.get();
    }
    return nullptr;
  }

  // Node 1 bootstraps; the others start empty and join as voters, one at a time.
  void StartVoters(int count) {
    Start(Add(1), /*bootstrap=*/true);
    REQUIRE(RunUntil([&] { return (*this)[1].log->IsLeader(); }));
    for (uint64_t id = 2; id <= static_cast<uint64_t>(count); ++id) {
      Node& n = Add(id);
      Start(n);
      Status s = Wait([&](RaftLog::Done d) { (*this)[1].log->AddVoter(id, n.address, d); });
      REQUIRE(s.ok());
    }
  }

  asio::io_context io;
  unsigned snapshot_threshold = 1024;
  unsigned snapshot_trailing = 128;

 private:
  void AcceptNext(Node& n) {
    n.acceptor->async_accept([this, &n](asio::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      auto s = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
      auto peer = std::make_shared<uint64_t>(0);
      asio::async_read(*s, asio::buffer(peer.get(), sizeof *peer),
                       [this, &n, s, peer](asio::error_code ec, size_t) {
                         if (ec || !nodes_.count(*peer) || !n.log) return;
                         n.log->Accept(*peer, nodes_.at(*peer)->address, s->release());
                       });
      AcceptNext(n);
    });
  }

  TempDir tmp_;
  std::map<uint64_t, std::unique_ptr<Node>> nodes_;
};

std::vector<std::string> Commands(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i <= to; ++i) out.push_back("c" + std::to_string(i));
  return out;
}

// Indexes strictly increase: nothing was applied twice or out of order.
bool StrictlyIncreasing(const std::vector<std::pair<uint64_t, std::string>>& applied) {
  for (size_t i = 1; i < applied.size(); ++i) {
    if (applied[i].first <= applied[i - 1].first) return false;
  }
  return true;
}

TEST_CASE("raft_log: a single node bootstraps, proposes and applies in order", "[cluster]") {
  Cluster c;
  auto& n = c.Add(1);
  c.Start(n, /*bootstrap=*/true);
  REQUIRE(n.log->ProposeAndWait("a", 2s).ok());
  REQUIRE(n.log->ProposeAndWait("b", 2s).ok());
  REQUIRE(c.Propose(n, "c").ok());
  CHECK(n.fsm->state == std::vector<std::string>{"a", "b", "c"});
  CHECK(StrictlyIncreasing(n.fsm->applied));
  CHECK(n.log->LastApplied() >= n.fsm->applied.back().first);
  CHECK(n.log->IsLeader());
  REQUIRE(n.log->Leader().has_value());
  CHECK(n.log->Leader()->id == 1);
  CHECK(n.log->HasState());
  CHECK(n.log->Bootstrap({Member{1, n.address, Role::kVoter}}).kind() ==
        ErrorKind::kPrecondition);
}

TEST_CASE("raft_log: three nodes apply the same commands in the same order", "[cluster]") {
  Cluster c;
  c.StartVoters(3);
  auto members = c[1].log->Members();
  REQUIRE(members.size() == 3);
  for (const auto& m : members) CHECK(m.role == Role::kVoter);

  // Proposals in flight together keep their order.
  int answered = 0;
  for (const auto& command : Commands(1, 5)) {
    c[1].log->Propose(command, [&](Status s, uint64_t) {
      CHECK(s.ok());
      ++answered;
    });
  }
  REQUIRE(c.RunUntil([&] { return answered == 5; }));
  REQUIRE(c.RunUntil([&] {
    return c[2].fsm->state.size() == 5 && c[3].fsm->state.size() == 5;
  }));
  CHECK(c[1].fsm->state == Commands(1, 5));
  CHECK(c[2].fsm->applied == c[1].fsm->applied);
  CHECK(c[3].fsm->applied == c[1].fsm->applied);
}

TEST_CASE("raft_log: a follower refuses a proposal and names the leader", "[cluster]") {
  Cluster c;
  c.StartVoters(2);
  REQUIRE(c.RunUntil([&] { return c[2].log->Leader().has_value(); }));
  Status s = c.Propose(c[2], "x");
  CHECK(s.kind() == ErrorKind::kUnavailable);
  CHECK_THAT(s.message(), Catch::Contains("leader is 1 at " + c[1].address));
  CHECK(c[2].log->Leader()->address == c[1].address);
  Status t = c.Wait([&](RaftLog::Done d) { c[2].log->AddVoter(9, "127.0.0.1:1", d); });
  CHECK(t.kind() == ErrorKind::kUnavailable);
}

TEST_CASE("raft_log: when the leader stops, the others elect one and go on", "[cluster]") {
  Cluster c;
  c.StartVoters(3);
  REQUIRE(c.Propose(c[1], "before").ok());
  c.Stop(c[1]);
  REQUIRE(c.RunUntil([&] { return c.Leader() != nullptr; }));
  auto* leader = c.Leader();
  CHECK(leader->id != 1);
  REQUIRE(c.Propose(*leader, "after").ok());
  REQUIRE(c.RunUntil([&] { return c[2].fsm->state.size() == 2 && c[3].fsm->state.size() == 2; }));
  CHECK(c[2].fsm->state == std::vector<std::string>{"before", "after"});
  CHECK(c[3].fsm->applied == c[2].fsm->applied);
}

TEST_CASE("raft_log: a node reopened from its directory replays and catches up", "[cluster]") {
  Cluster c;
  c.StartVoters(3);
  for (const auto& command : Commands(1, 3)) REQUIRE(c.Propose(c[1], command).ok());
  REQUIRE(c.RunUntil([&] { return c[3].fsm->state.size() == 3; }));
  c.Stop(c[3]);
  for (const auto& command : Commands(4, 5)) REQUIRE(c.Propose(c[1], command).ok());

  c.Start(c[3]);  // a fresh state machine: the log replays into it
  CHECK(c[3].log->HasState());
  REQUIRE(c.RunUntil([&] { return c[3].fsm->state.size() == 5; }));
  REQUIRE(c.Propose(c[1], "c6").ok());
  REQUIRE(c.RunUntil([&] { return c[3].fsm->state.size() == 6; }));
  CHECK(c[3].fsm->state == Commands(1, 6));
  CHECK(c[3].fsm->applied == c[1].fsm->applied);
  CHECK(StrictlyIncreasing(c[3].fsm->applied));
}

TEST_CASE("raft_log: a restart restores the last snapshot, then applies what follows",
          "[cluster]") {
  Cluster c;
  c.snapshot_threshold = 8;
  c.snapshot_trailing = 2;
  auto& n = c.Add(1);
  c.Start(n, /*bootstrap=*/true);
  for (const auto& command : Commands(1, 20)) REQUIRE(n.log->ProposeAndWait(command, 2s).ok());
  c.Stop(n);
  c.Start(n);
  REQUIRE(c.RunUntil([&] { return n.fsm->state.size() == 20; }));
  CHECK(n.fsm->restores == 1);
  CHECK(n.fsm->state == Commands(1, 20));
  // Only what the last snapshot did not hold is applied: nothing at all when libraft
  // happened to take it after the last command (its snapshots follow batches of
  // applies, whose size depends on timing).
  CHECK(n.fsm->applied.size() < 20);
  if (!n.fsm->applied.empty()) CHECK(n.fsm->applied.back().second == "c20");
  CHECK(StrictlyIncreasing(n.fsm->applied));
}

TEST_CASE("raft_log: a node added after snapshots gets the snapshot, then the entries",
          "[cluster]") {
  Cluster c;
  c.snapshot_threshold = 8;
  c.snapshot_trailing = 2;
  c.StartVoters(1);
  for (const auto& command : Commands(1, 20)) REQUIRE(c.Propose(c[1], command).ok());
  auto& n = c.Add(2);
  c.Start(n);
  REQUIRE(c.Wait([&](RaftLog::Done d) { c[1].log->AddVoter(2, n.address, d); }).ok());
  REQUIRE(c.Propose(c[1], "c21").ok());
  REQUIRE(c.RunUntil([&] { return n.fsm->state.size() == 21; }));
  CHECK(n.fsm->restores >= 1);
  CHECK(n.fsm->state == Commands(1, 21));
  CHECK(n.fsm->applied.back().second == "c21");
}

TEST_CASE("raft_log: removing a member shrinks the membership", "[cluster]") {
  Cluster c;
  c.StartVoters(3);
  REQUIRE(c.Wait([&](RaftLog::Done d) { c[1].log->Remove(3, d); }).ok());
  CHECK(c[1].log->Members().size() == 2);
  REQUIRE(c.RunUntil([&] { return c[2].log->Members().size() == 2; }));
  std::set<uint64_t> ids;
  for (const auto& m : c[2].log->Members()) ids.insert(m.id);
  CHECK(ids == std::set<uint64_t>{1, 2});
  CHECK(c.Wait([&](RaftLog::Done d) { c[1].log->Remove(3, d); }).kind() == ErrorKind::kNotFound);
}

TEST_CASE("raft_log: a standby receives the log but does not vote", "[cluster]") {
  Cluster c;
  c.StartVoters(1);
  auto& standby = c.Add(2);
  c.Start(standby);
  REQUIRE(c.Wait([&](RaftLog::Done d) { c[1].log->AddStandby(2, standby.address, d); }).ok());
  for (const auto& m : c[1].log->Members()) {
    CHECK(m.role == (m.id == 2 ? Role::kStandby : Role::kVoter));
  }
  REQUIRE(c.Propose(c[1], "a").ok());
  REQUIRE(c.RunUntil([&] { return standby.fsm->state.size() == 1; }));
  // With the standby gone the lone voter still commits: it was never part of a quorum.
  c.Stop(standby);
  REQUIRE(c.Propose(c[1], "b").ok());
  CHECK(c[1].fsm->state == std::vector<std::string>{"a", "b"});
}

TEST_CASE("raft_log: bad options and a missing directory are errors", "[cluster]") {
  asio::io_context io;
  TestFsm fsm;
  RaftOptions o;
  o.id = 1;
  o.address = "127.0.0.1:1";
  o.dir = "/nonexistent/warren-raft";
  auto missing = RaftLog::Open(io, o, &fsm);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().kind() == ErrorKind::kNotFound);
  CHECK_THAT(missing.status().message(), Catch::Contains("/nonexistent/warren-raft"));

  o.heartbeat_timeout_ms = o.election_timeout_ms;
  CHECK(RaftLog::Open(io, o, &fsm).status().kind() == ErrorKind::kBadInput);
  o.heartbeat_timeout_ms = 100;
  o.id = 0;
  CHECK(RaftLog::Open(io, o, &fsm).status().kind() == ErrorKind::kBadInput);
}

TEST_CASE("raft_log: a dial answered after close and sockets given before start are closed",
          "[cluster]") {
  TempDir tmp;
  asio::io_context io;
  TestFsm fsm;
  std::vector<DialDone> dials;
  RaftOptions o;
  o.id = 1;
  o.address = "127.0.0.1:1";
  o.dir = tmp.path().string();
  o.election_timeout_ms = 150;
  o.heartbeat_timeout_ms = 30;
  o.dial = [&](uint64_t, const std::string&, DialDone done) { dials.push_back(done); };
  auto log = RaftLog::Open(io, o, &fsm);
  REQUIRE(log.ok());

  int early[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, early) == 0);
  (*log)->Accept(2, "127.0.0.1:2", early[0]);
  CHECK(::fcntl(early[0], F_GETFD) == -1);  // not started: closed
  ::close(early[1]);

  // Two voters: node 1 campaigns and dials node 2, whose answer never comes in time.
  REQUIRE((*log)->Bootstrap({Member{1, o.address, Role::kVoter},
                             Member{2, "127.0.0.1:2", Role::kVoter}})
              .ok());
  REQUIRE((*log)->Start().ok());
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (dials.empty() && std::chrono::steady_clock::now() < deadline) io.run_one_for(5ms);
  REQUIRE_FALSE(dials.empty());

  bool closed = false;
  (*log)->Close([&] { closed = true; });
  while (!closed && std::chrono::steady_clock::now() < deadline) io.run_one_for(5ms);
  REQUIRE(closed);
  log->reset();

  int late[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, late) == 0);
  dials.front()(late[0], "");
  CHECK(::fcntl(late[0], F_GETFD) == -1);
  ::close(late[1]);
}

}  // namespace
}  // namespace warren::cluster
