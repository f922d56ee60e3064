#include "cluster/raft/raft_log.h"

#include <unistd.h>

#include <algorithm>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <cassert>
#include <cstring>
#include <filesystem>
#include <thread>
#include <utility>

#include "cluster/raft/internal/raft_codec.h"
#include "cluster/raft/internal/transport.h"  // libraft
#include "cluster/raft/uv_on_asio.h"

namespace warren::cluster {
namespace {
enum class State { kOpen, kStarted, kClosing, kClosed };
}  // namespace

class RaftLog::Impl {
 public:
  Impl(UvOnAsio& uv, std::unique_ptr<UvOnAsio> own_uv, RaftOptions options, StateMachine* fsm)
      : own_uv_(std::move(own_uv)),
        uv_(&uv),
        options_(std::move(options)),
        fsm_(fsm),
        alive_(std::make_shared<bool>(true)) {}
  ~Impl();

  Status Init();
  void AssertOwner() const { assert(std::this_thread::get_id() == owner_); }

  // Requests whose callback raft calls. `done` is called from inside the loop.
  struct ApplyReq {
    struct raft_apply req;
    std::function<void(Status, uint64_t)> done;
    Impl* impl;
  };
  struct ChangeReq {
    raft_change req;
    Done done;
    Impl* impl;
    uint64_t id = 0;
    int then_assign = -1;  // a role to assign once the add committed, or -1
  };
  struct TransferReq {
    struct raft_transfer req;
    Done done;
    Impl* impl;
  };

  static void OnApplied(struct raft_apply* req, int status, void* result);
  static void OnChanged(raft_change* req, int status);
  static void OnTransferred(struct raft_transfer* req);
  static void OnClosed(raft* r);
  static int FsmApply(raft_fsm* fsm, const raft_buffer* buf, void** result);
  static int FsmSnapshot(raft_fsm* fsm, raft_buffer* bufs[], unsigned* n_bufs);
  static int FsmRestore(raft_fsm* fsm, raft_buffer* buf);

  void Propose(std::string command, std::function<void(Status, uint64_t)> done);
  // Submits a membership change (`submit` calls raft) whose result reaches `done`.
  void SubmitChange(std::string_view what, uint64_t id, int then_assign, Done done,
                    const std::function<int(raft_change*)>& submit);
  // Owns `req` from here: fails it when raft refused it (`rv`), else hands it to raft.
  void Change(std::unique_ptr<ChangeReq> req, int rv, std::string_view what);
  // Runs `task` from the loop soon (at once when the log is closing).
  void Later(std::function<void()> task);
  Status NotLeader(std::string_view what) const;
  Status Error(int rv, std::string_view what) const { return RaftError(rv, what, raft_.errmsg); }
  Status Unstarted(std::string_view what) const;
  void ClearError() { raft_.errmsg[0] = '\0'; }
  void AfterRun();
  void BeginClose();
  void FinishClose();

  std::unique_ptr<UvOnAsio> own_uv_;  // when the log has a loop of its own
  UvOnAsio* uv_;
  int after_run_token_ = 0;
  RaftOptions options_;
  StateMachine* fsm_;
  std::thread::id owner_ = std::this_thread::get_id();
  std::unique_ptr<Transport> transport_;
  raft_io raft_io_{};
  raft_fsm raft_fsm_{};
  struct raft raft_{};
  bool io_initialized_ = false;
  bool raft_initialized_ = false;
  bool raft_closed_ = false;
  State state_ = State::kOpen;
  raft_term barrier_term_ = 0;  // the term whose leadership got its barrier
  Status restore_error_;        // why the last Restore failed, for Start()
  std::vector<std::function<void()>> close_waiters_;
  std::shared_ptr<bool> alive_;  // posted handlers check it before touching `this`
};

Status RaftLog::Impl::Init() {
  transport_ = std::make_unique<Transport>(uv_->loop(), options_.dial);
  if (int rv = raft_uv_init(&raft_io_, uv_->loop(), options_.dir.c_str(), transport_->raft());
      rv != 0) {
    return RaftError(rv, "raft open", raft_io_.errmsg);
  }
  io_initialized_ = true;
  raft_fsm_.version = 1;
  raft_fsm_.data = this;
  raft_fsm_.apply = &Impl::FsmApply;
  raft_fsm_.snapshot = &Impl::FsmSnapshot;
  raft_fsm_.restore = &Impl::FsmRestore;
  if (int rv = raft_init(&raft_, &raft_io_, &raft_fsm_, options_.id, options_.address.c_str());
      rv != 0) {
    return RaftError(rv, "raft open", raft_.errmsg);
  }
  raft_initialized_ = true;
  raft_.data = this;
  raft_set_election_timeout(&raft_, options_.election_timeout_ms);
  raft_set_heartbeat_timeout(&raft_, options_.heartbeat_timeout_ms);
  raft_set_snapshot_threshold(&raft_, options_.snapshot_threshold);
  raft_set_snapshot_trailing(&raft_, options_.snapshot_trailing);
  // A node that comes back after being cut off asks before it disrupts the leader.
  raft_set_pre_vote(&raft_, true);
  raft_uv_set_connect_retry_delay(&raft_io_, ConnectRetryMs(options_));
  after_run_token_ = uv_->AddAfterRun([this] { AfterRun(); });
  return Status::OK();
}

RaftLog::Impl::~Impl() {
  if (state_ == State::kClosed) return;
  if (raft_initialized_ && !uv_->closed()) {
    BeginClose();
    // Closing waits for raft's own disk work only, never for peers.
    uv_->RunUntil([this] { return raft_closed_; }, std::chrono::seconds(30));
  }
  if (raft_initialized_ && !raft_closed_) {
    // The loop was closed under raft (or raft hung): its handles are gone, and the
    // transport cannot be released safely; leak it rather than crash.
    (void)transport_.release();
  }
  FinishClose();
}

void RaftLog::Impl::BeginClose() {
  if (state_ != State::kOpen && state_ != State::kStarted) return;
  state_ = State::kClosing;
  raft_close(&raft_, &Impl::OnClosed);
  uv_->Kick();
}

void RaftLog::Impl::OnClosed(raft* r) {
  auto* self = static_cast<Impl*>(r->data);
  self->raft_closed_ = true;
  // libraft is still on the stack: its I/O backend is released from a fresh handler
  // (or by the destructor, whichever comes first).
  asio::post(self->uv_->io(), [self, alive = std::weak_ptr<bool>(self->alive_)] {
    if (!alive.expired()) self->FinishClose();
  });
  std::vector<std::function<void()>> waiters = std::move(self->close_waiters_);
  self->close_waiters_.clear();
  for (auto& waiter : waiters) waiter();
}

void RaftLog::Impl::FinishClose() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  uv_->RemoveAfterRun(after_run_token_);
  if (io_initialized_) raft_uv_close(&raft_io_);
  if (own_uv_) own_uv_->Close();
  transport_.reset();  // raft closed it: the loop no longer refers to it
}

// Entries of earlier terms commit only with an entry of the leader's own term (Raft
// §5.4.2), and libraft 0.15 appends none by itself: without this barrier a cluster
// restarted as a whole would not replay its log until the next proposal.
void RaftLog::Impl::AfterRun() {
  if (state_ != State::kStarted || raft_state(&raft_) != RAFT_LEADER) return;
  if (raft_.current_term == barrier_term_) return;
  barrier_term_ = raft_.current_term;
  using Barrier = struct ::raft_barrier;
  auto* req = new Barrier{};
  if (::raft_barrier(&raft_, req, [](Barrier* r, int) { delete r; }) != 0) {
    delete req;
    return;
  }
  uv_->Kick();
}

int RaftLog::Impl::FsmApply(raft_fsm* fsm, const raft_buffer* buf, void** result) {
  auto* self = static_cast<Impl*>(fsm->data);
  *result = nullptr;
  // libraft advances last_applied after each entry, so this entry is the next one.
  self->fsm_->Apply(raft_last_applied(&self->raft_) + 1, DecodeCommand(*buf));
  return 0;
}

int RaftLog::Impl::FsmSnapshot(raft_fsm* fsm, raft_buffer* bufs[], unsigned* n_bufs) {
  auto* self = static_cast<Impl*>(fsm->data);
  auto* out = static_cast<raft_buffer*>(raft_malloc(sizeof(raft_buffer)));
  if (out == nullptr) return RAFT_NOMEM;
  *out = RaftCopy(self->fsm_->Snapshot());
  if (out->base == nullptr) {
    raft_free(out);
    return RAFT_NOMEM;
  }
  *bufs = out;
  *n_bufs = 1;
  return 0;
}

int RaftLog::Impl::FsmRestore(raft_fsm* fsm, raft_buffer* buf) {
  auto* self = static_cast<Impl*>(fsm->data);
  Status s = self->fsm_->Restore(std::string_view(static_cast<const char*>(buf->base), buf->len));
  if (!s.ok()) {
    self->restore_error_ = std::move(s);
    return RAFT_CORRUPT;  // raft keeps the buffer and frees it
  }
  raft_free(buf->base);  // on success the buffer is ours
  return 0;
}

Status RaftLog::Impl::Unstarted(std::string_view what) const {
  return Status::Unavailable(std::string(what) + ": raft log " +
                             (state_ == State::kOpen ? "not started" : "closed"));
}

Status RaftLog::Impl::NotLeader(std::string_view what) const {
  raft_id id = 0;
  const char* address = nullptr;
  raft_leader(const_cast<struct raft*>(&raft_), &id, &address);
  std::string m(what);
  m += ": not the leader; ";
  if (id == 0) {
    m += "no leader is known";
  } else {
    m += "leader is " + std::to_string(id) + " at " + (address != nullptr ? address : "?");
  }
  return Status::Unavailable(std::move(m));
}

void RaftLog::Impl::Later(std::function<void()> task) {
  if (transport_ != nullptr && transport_->Defer(task)) {
    uv_->Kick();
    return;
  }
  task();
}

void RaftLog::Impl::Propose(std::string command, std::function<void(Status, uint64_t)> done) {
  if (!done) done = [](Status, uint64_t) {};
  auto fail = [&](Status s) { Later([done = std::move(done), s = std::move(s)] { done(s, 0); }); };
  if (state_ != State::kStarted) return fail(Unstarted("propose"));
  raft_buffer buf = EncodeCommand(command);
  if (buf.base == nullptr) return fail(Status::Internal("propose: out of memory"));
  auto req = std::make_unique<ApplyReq>(ApplyReq{{}, done, this});
  req->req.data = req.get();
  ClearError();
  if (int rv = raft_apply(&raft_, &req->req, &buf, 1, &Impl::OnApplied); rv != 0) {
    raft_free(buf.base);
    return fail(rv == RAFT_NOTLEADER ? NotLeader("propose") : Error(rv, "propose"));
  }
  (void)req.release();  // OnApplied owns it
  uv_->Kick();
}

void RaftLog::Impl::OnApplied(struct raft_apply* raw, int status, void* /*result*/) {
  std::unique_ptr<ApplyReq> req(static_cast<ApplyReq*>(raw->data));
  if (status == 0) return req->done(Status::OK(), raw->index);
  req->done(RaftError(status, "propose", nullptr), 0);
}

void RaftLog::Impl::SubmitChange(std::string_view what, uint64_t id, int then_assign, Done done,
                                 const std::function<int(raft_change*)>& submit) {
  if (!done) done = [](Status) {};
  if (state_ != State::kStarted) {
    return Later([done = std::move(done), s = Unstarted(what)] { done(s); });
  }
  auto req = std::make_unique<ChangeReq>(ChangeReq{{}, std::move(done), this, id, then_assign});
  req->req.data = req.get();
  ClearError();
  int rv = submit(&req->req);
  Change(std::move(req), rv, what);
}

void RaftLog::Impl::Change(std::unique_ptr<ChangeReq> req, int rv, std::string_view what) {
  if (rv != 0) {
    Status s = rv == RAFT_NOTLEADER ? NotLeader(what) : Error(rv, what);
    return Later([done = std::move(req->done), s = std::move(s)] { done(s); });
  }
  (void)req.release();  // OnChanged owns it
  uv_->Kick();
}

void RaftLog::Impl::OnChanged(raft_change* raw, int status) {
  std::unique_ptr<ChangeReq> req(static_cast<ChangeReq*>(raw->data));
  Impl* self = req->impl;
  if (status != 0) return req->done(RaftError(status, "membership change", nullptr));
  if (req->then_assign < 0) return req->done(Status::OK());
  int role = std::exchange(req->then_assign, -1);
  self->ClearError();
  int rv = raft_assign(&self->raft_, &req->req, req->id, role, &Impl::OnChanged);
  self->Change(std::move(req), rv, "assign");
}

void RaftLog::Impl::OnTransferred(struct raft_transfer* raw) {
  std::unique_ptr<TransferReq> req(static_cast<TransferReq*>(raw->data));
  raft_id leader = 0;
  const char* address = nullptr;
  raft_leader(&req->impl->raft_, &leader, &address);
  if (leader != 0 && leader == raw->id) return req->done(Status::OK());
  req->done(Status::Unavailable("transfer: leadership did not move to " +
                                std::to_string(raw->id)));
}

// RaftLog ---------------------------------------------------------------------------

RaftLog::RaftLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RaftLog::~RaftLog() = default;

namespace {

Status CheckOptions(const RaftOptions& options, const StateMachine* fsm) {
  if (options.id == 0) return Status::BadInput("raft open: the server id must be > 0");
  if (options.address.empty()) return Status::BadInput("raft open: an address is required");
  if (options.dir.empty()) return Status::BadInput("raft open: a directory is required");
  if (fsm == nullptr) return Status::BadInput("raft open: a state machine is required");
  // libraft asserts these in raft_start().
  if (options.heartbeat_timeout_ms == 0 ||
      options.heartbeat_timeout_ms >= options.election_timeout_ms) {
    return Status::BadInput("raft open: need 0 < heartbeat timeout < election timeout");
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<RaftLog>> RaftLog::Open(asio::io_context& io, RaftOptions options,
                                               StateMachine* fsm) {
  WARREN_TRY(CheckOptions(options, fsm));
  WARREN_ASSIGN_OR_RETURN(std::unique_ptr<UvOnAsio> uv, UvOnAsio::Create(io));
  UvOnAsio& loop = *uv;
  return OpenOn(loop, std::move(uv), std::move(options), fsm);
}

Result<std::unique_ptr<RaftLog>> RaftLog::Open(UvOnAsio& uv, RaftOptions options,
                                               StateMachine* fsm) {
  WARREN_TRY(CheckOptions(options, fsm));
  return OpenOn(uv, nullptr, std::move(options), fsm);
}

Result<std::unique_ptr<RaftLog>> RaftLog::OpenOn(UvOnAsio& uv, std::unique_ptr<UvOnAsio> own_uv,
                                               RaftOptions options, StateMachine* fsm) {
  if (uv.closed()) return Status::Precondition("raft open: the loop is closed");
  auto impl = std::make_unique<Impl>(uv, std::move(own_uv), std::move(options), fsm);
  WARREN_TRY(impl->Init());
  return std::unique_ptr<RaftLog>(new RaftLog(std::move(impl)));
}

bool RaftLog::HasState() const {
  std::error_code ec;
  std::filesystem::path dir(impl_->options_.dir);
  return std::filesystem::exists(dir / "metadata1", ec) ||
         std::filesystem::exists(dir / "metadata2", ec);
}

Status RaftLog::Bootstrap(const std::vector<Member>& members) {
  return SetConfiguration(members, false);
}

Status RaftLog::Recover(const std::vector<Member>& members) {
  return SetConfiguration(members, true);
}

Status RaftLog::SetConfiguration(const std::vector<Member>& members, bool recover) {
  const char* what = recover ? "recover" : "bootstrap";
  impl_->AssertOwner();
  if (impl_->state_ != State::kOpen) {
    return Status::Precondition(std::string(what) + ": only before the log is started");
  }
  bool self_included = std::any_of(members.begin(), members.end(),
                                   [&](const Member& m) { return m.id == impl_->options_.id; });
  if (!self_included) return Status::BadInput(std::string(what) + ": this server is not a member");
  raft_configuration conf;
  raft_configuration_init(&conf);
  int rv = 0;
  for (const Member& m : members) {
    rv = raft_configuration_add(&conf, m.id, m.address.c_str(), ToRaftRole(m.role));
    if (rv != 0) break;
  }
  if (rv == 0) {
    impl_->ClearError();
    rv = recover ? raft_recover(&impl_->raft_, &conf) : raft_bootstrap(&impl_->raft_, &conf);
  }
  raft_configuration_close(&conf);
  if (rv != 0) return impl_->Error(rv, what);
  return Status::OK();
}

Status RaftLog::Start() {
  impl_->AssertOwner();
  if (impl_->state_ != State::kOpen) return Status::Precondition("start: already started");
  impl_->ClearError();
  impl_->restore_error_ = Status::OK();
  int rv = raft_start(&impl_->raft_);
  if (rv != 0) {
    if (!impl_->restore_error_.ok()) return impl_->restore_error_;
    return impl_->Error(rv, "start");
  }
  impl_->state_ = State::kStarted;
  impl_->uv_->Kick();
  return Status::OK();
}

void RaftLog::Propose(std::string command, ProposeDone done) {
  impl_->AssertOwner();
  impl_->Propose(std::move(command), std::move(done));
}

Status RaftLog::ProposeAndWait(std::string command, std::chrono::milliseconds timeout) {
  impl_->AssertOwner();
  if (impl_->uv_->InLoop()) return Status::Precondition("propose: cannot wait inside a callback");
  struct Outcome {
    bool done = false;
    Status status;
  };
  auto outcome = std::make_shared<Outcome>();
  impl_->Propose(std::move(command), [outcome](Status s, uint64_t) {
    outcome->done = true;
    outcome->status = std::move(s);
  });
  if (!outcome->done && impl_->state_ == State::kStarted) {
    impl_->uv_->RunUntil([&] { return outcome->done; }, timeout);
  }
  if (!outcome->done) return Status::Timeout("propose: not applied in time");
  return outcome->status;
}

void RaftLog::AddVoter(uint64_t id, const std::string& address, Done done) {
  impl_->AssertOwner();
  impl_->SubmitChange("add voter", id, RAFT_VOTER, std::move(done), [&](raft_change* req) {
    return raft_add(&impl_->raft_, req, id, address.c_str(), &Impl::OnChanged);
  });
}

void RaftLog::AddStandby(uint64_t id, const std::string& address, Done done) {
  impl_->AssertOwner();
  impl_->SubmitChange("add standby", id, RAFT_STANDBY, std::move(done), [&](raft_change* req) {
    return raft_add(&impl_->raft_, req, id, address.c_str(), &Impl::OnChanged);
  });
}

void RaftLog::Assign(uint64_t id, Role role, Done done) {
  impl_->AssertOwner();
  impl_->SubmitChange("assign", id, -1, std::move(done), [&](raft_change* req) {
    return raft_assign(&impl_->raft_, req, id, ToRaftRole(role), &Impl::OnChanged);
  });
}

void RaftLog::Remove(uint64_t id, Done done) {
  impl_->AssertOwner();
  impl_->SubmitChange("remove", id, -1, std::move(done), [&](raft_change* req) {
    return raft_remove(&impl_->raft_, req, id, &Impl::OnChanged);
  });
}

void RaftLog::Transfer(uint64_t id, Done done) {
  impl_->AssertOwner();
  if (!done) done = [](Status) {};
  if (impl_->state_ != State::kStarted) {
    return impl_->Later([done = std::move(done), s = impl_->Unstarted("transfer")] { done(s); });
  }
  auto req = std::make_unique<Impl::TransferReq>(Impl::TransferReq{{}, done, impl_.get()});
  req->req.data = req.get();
  impl_->ClearError();
  if (int rv = raft_transfer(&impl_->raft_, &req->req, id, &Impl::OnTransferred); rv != 0) {
    Status s = rv == RAFT_NOTLEADER ? impl_->NotLeader("transfer") : impl_->Error(rv, "transfer");
    return impl_->Later([done = std::move(done), s = std::move(s)] { done(s); });
  }
  (void)req.release();  // OnTransferred owns it
  impl_->uv_->Kick();
}

void RaftLog::Accept(uint64_t peer_id, const std::string& peer_address, int fd) {
  impl_->AssertOwner();
  if (impl_->state_ != State::kStarted) {
    if (fd >= 0) ::close(fd);
    return;
  }
  impl_->transport_->Accept(peer_id, peer_address, fd);
  impl_->uv_->Kick();
}

void RaftLog::Cut(const std::set<uint64_t>& ids) {
  impl_->AssertOwner();
  if (impl_->transport_) impl_->transport_->Cut(ids);
}

std::vector<Member> RaftLog::Members() const {
  std::vector<Member> members;
  if (impl_->state_ != State::kStarted) return members;
  const raft_configuration& conf = impl_->raft_.configuration;
  for (unsigned i = 0; i < conf.n; ++i) {
    const raft_server& s = conf.servers[i];
    members.push_back(Member{s.id, s.address, FromRaftRole(s.role)});
  }
  return members;
}

std::optional<Member> RaftLog::Leader() const {
  if (impl_->state_ != State::kStarted) return std::nullopt;
  raft_id id = 0;
  const char* address = nullptr;
  raft_leader(&impl_->raft_, &id, &address);
  if (id == 0) return std::nullopt;
  return Member{id, address != nullptr ? address : "", Role::kVoter};
}

bool RaftLog::IsLeader() const {
  return impl_->state_ == State::kStarted && raft_state(&impl_->raft_) == RAFT_LEADER;
}

uint64_t RaftLog::LastApplied() const { return raft_last_applied(&impl_->raft_); }
uint64_t RaftLog::LastIndex() const { return raft_last_index(&impl_->raft_); }

void RaftLog::Close(std::function<void()> done) {
  impl_->AssertOwner();
  if (impl_->state_ == State::kClosed || impl_->raft_closed_) {
    if (done) done();
    return;
  }
  if (done) impl_->close_waiters_.push_back(std::move(done));
  impl_->BeginClose();
}

}  // namespace warren::cluster
