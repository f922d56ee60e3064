// Vhost::OperatorChange: an operator's change, awaited until committed (vhost.h).
#include <utility>

#include "base/fiber.h"
#include "broker/vhost.h"

namespace warren::broker {

struct Vhost::OperatorChange::Tracker {
  Post post;
  size_t outstanding = 0;
  Status first;
  fiber::Resume resume;  // set while Wait is suspended

  void Answered(Status s) {
    if (!s.ok() && first.ok()) first = std::move(s);
    // Resumed from a handler of its own: an answer can come from deep inside the
    // engine (a vhost being torn down), which the operation must not run inside of.
    if (--outstanding == 0 && resume) post(std::exchange(resume, nullptr));
  }
};

Vhost::OperatorChange::OperatorChange(Vhost& v, Post post)
    : v_(&v), alive_(v.alive_), outer_(std::exchange(v.operator_change_, this)) {
  if (!fiber::InFiber()) return;
  tracker_ = std::make_shared<Tracker>();
  tracker_->post = std::move(post);
}

Vhost::OperatorChange::~OperatorChange() { End(); }

void Vhost::OperatorChange::End() {
  if (ended_) return;
  ended_ = true;
  if (!alive_.expired()) v_->operator_change_ = outer_;
}

Vhost::Committed Vhost::OperatorChange::Track() {
  // Calls the tracker once: with the commit's answer, or with a failure when the
  // answer is dropped unheard.
  struct Ticket {
    std::shared_ptr<Tracker> tracker;
    bool answered = false;
    ~Ticket() {
      if (!answered)
        tracker->Answered(Status::Unavailable("the virtual host was deleted before the "
                                              "change was recorded"));
    }
  };
  ++tracker_->outstanding;
  auto ticket = std::make_shared<Ticket>();
  ticket->tracker = tracker_;
  return [ticket](Status s) {
    if (ticket->answered) return;
    ticket->answered = true;
    ticket->tracker->Answered(std::move(s));
  };
}

Status Vhost::OperatorChange::Wait() {
  End();
  if (!tracker_) return Status::OK();
  if (tracker_->outstanding > 0)
    fiber::Wait([this](fiber::Resume r) { tracker_->resume = std::move(r); });
  return tracker_->first;
}

Status Vhost::OperatorChange::Make(const std::function<Status(Committed then)>& change) {
  Committed then = awaits() ? Track() : nullptr;
  const Status made = change(then);
  if (!made.ok() && then) then(made);  // refused at once: no answer follows
  // Only the vhost holds the answer now: if it drops it unheard, the ticket says so.
  then = nullptr;
  const Status committed = Wait();
  return made.ok() ? committed : made;
}

Vhost::Committed Vhost::DeletionAnswer() {
  if (!operator_change_) return [](Status) {};
  return operator_change_->awaits() ? operator_change_->Track() : nullptr;
}

}  // namespace warren::broker
