#include "meta/replica.h"

#include "base/log.h"

namespace warren::meta {

bool Replica::Push(const Store::Change& change) {
  std::lock_guard lock(mu_);
  inbox_.push_back(change);
  return inbox_.size() == 1;
}

bool Replica::Drain() {
  std::vector<Store::Change> changes;
  {
    std::lock_guard lock(mu_);
    changes.swap(inbox_);
  }
  for (auto& c : changes) {
    if (c.replaced) {
      state_ = *c.replaced;
    } else if (Status s = state_.Apply(c.command); !s.ok()) {
      // The store applied it, so the same command must apply here (Apply is
      // deterministic); if not, the next replaced state puts the copy right.
      log::Warning("metadata replica: cannot apply a change the store applied: " + s.message());
    }
  }
  if (!changes.empty()) ++revision_;
  return !changes.empty();
}

Status Replica::Submit(const json& command) {
  Status s = forward_.sync(command);
  Drain();
  return s;
}

void Replica::SubmitAsync(json command, std::function<void(Status)> done) {
  forward_.async(std::move(command), [this, done = std::move(done)](Status s) {
    // The store pushed the change before it answered: it is here to drain.
    Drain();
    done(std::move(s));
  });
}

}  // namespace warren::meta
