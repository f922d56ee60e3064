// What an engine reads and changes of a node's metadata: the Store itself on the
// store's thread, or a Replica of it on another thread (replica.h).
#pragma once

#include <cstdint>
#include <functional>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "meta/state.h"

namespace warren::meta {

class View {
 public:
  virtual ~View() = default;
  virtual const State& state() const = 0;
  // Moves whenever the state changes; what caches part of the state compares it.
  virtual uint64_t revision() const = 0;
  // The commands are replicated to other members: transient entities are recorded
  // too, and queues name the member that holds them.
  virtual bool replicated() const = 0;
  // Applies `command` and returns once it is durable (the Store's Submit).
  virtual Status Submit(const json& command) = 0;
  // The same without waiting: done(status) runs later on the caller's thread, or before
  // the call returns.
  virtual void SubmitAsync(json command, std::function<void(Status)> done) = 0;
};

}  // namespace warren::meta
