// Fibers: a function run on a stack of its own, so that it can wait for a callback
// (a commit through the cluster, an answer from another thread) without holding up
// the event loop of the thread it runs on. A fiber runs only while its thread lends it
// control: Start runs it until it finishes or waits, and the callback that ends a wait
// runs it again until the next wait. Everything stays on one thread; nothing here is
// thread-safe.
//
// Code written as plain calls keeps working inside a fiber: a helper that could wait
// asks InFiber(), and waits by callback there, blocking outside as before.
#pragma once

#include <functional>

namespace warren::fiber {

// Runs `fn` on a new fiber; returns when it finishes or first waits. An exception
// escaping `fn` ends the process (fn must catch its own).
void Start(std::function<void()> fn);

// True on a fiber's stack.
bool InFiber();

// Wakes a waiting fiber; see Wait.
using Resume = std::function<void()>;

// Inside a fiber: calls `begin(resume)` and suspends the fiber until `resume` is called,
// once, from the thread's own code (a loop handler, never another thread). `resume` may
// also be called before `begin` returns; Wait then returns without suspending.
// REQUIRES: InFiber().
void Wait(const std::function<void(Resume resume)>& begin);

}  // namespace warren::fiber
