// A read-only copy of a Store's state on another thread, kept in step with it: the
// store's thread pushes each change (Store::set_observer) and the replica's thread
// applies them, in order, when it drains. Changes made through the replica go to the
// store's thread; their answer comes once the replica has the change.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "meta/store.h"
#include "meta/view.h"

namespace warren::meta {

class Replica : public View {
 public:
  // How a change made through the replica reaches the store: `async` runs the command
  // on the store's thread and answers on the replica's; `sync` waits for the store's
  // answer (the store's thread must not be waiting on this one).
  struct Forward {
    std::function<void(json, std::function<void(Status)>)> async;
    std::function<Status(const json&)> sync;
  };
  Replica(State initial, bool replicated, Forward forward)
      : state_(std::move(initial)), replicated_(replicated), forward_(std::move(forward)) {}

  // From the store's thread (any thread): one more change. True when the replica had
  // none waiting, so its thread should be told to Drain.
  bool Push(const Store::Change& change);
  // On the replica's thread: applies what was pushed. Whether anything changed.
  bool Drain();

  const State& state() const override { return state_; }
  uint64_t revision() const override { return revision_; }
  bool replicated() const override { return replicated_; }
  Status Submit(const json& command) override;
  void SubmitAsync(json command, std::function<void(Status)> done) override;

 private:
  State state_;
  uint64_t revision_ = 0;
  bool replicated_;
  Forward forward_;
  std::mutex mu_;
  std::vector<Store::Change> inbox_;  // guarded by mu_
};

}  // namespace warren::meta
