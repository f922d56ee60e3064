#include "base/fiber.h"

#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include "base/log.h"

namespace warren::fiber {
namespace {

// Reserved per fiber; only the pages it touches take memory. The lowest page is a
// guard, so an overflow faults instead of writing over another fiber.
constexpr size_t kStackBytes = size_t(4) << 20;

struct Fiber {
  ucontext_t self{};
  ucontext_t* back = nullptr;  // where control goes when the fiber waits or ends
  void* stack = nullptr;
  std::function<void()> fn;
  bool finished = false;
};

thread_local Fiber* current = nullptr;

void Destroy(Fiber* f) {
  ::munmap(f->stack, kStackBytes);
  delete f;
}

void Run(Fiber* f) noexcept { f->fn(); }  // an escaping exception terminates

void Trampoline() {
  Fiber* f = current;
  Run(f);
  f->fn = nullptr;  // its captures go while the fiber still runs
  f->finished = true;
  ::swapcontext(&f->self, f->back);
}

// Runs `f` until it waits or finishes, from wherever control is now.
void Enter(Fiber* f) {
  ucontext_t here;
  Fiber* outer = current;
  f->back = &here;
  current = f;
  ::swapcontext(&here, &f->self);
  current = outer;
  if (f->finished) Destroy(f);
}

struct WaitState {
  Fiber* fiber;
  bool woken = false;
  bool suspended = false;
};

}  // namespace

void Start(std::function<void()> fn) {
  void* stack = ::mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    log::Warning("cannot map a fiber stack; running the work on the loop's stack, so it "
                 "holds the loop while it waits");
    fn();
    return;
  }
  ::mprotect(stack, size_t(::sysconf(_SC_PAGESIZE)), PROT_NONE);
  auto* f = new Fiber;
  f->stack = stack;
  f->fn = std::move(fn);
  ::getcontext(&f->self);
  f->self.uc_stack.ss_sp = stack;
  f->self.uc_stack.ss_size = kStackBytes;
  f->self.uc_link = nullptr;
  ::makecontext(&f->self, &Trampoline, 0);
  Enter(f);
}

bool InFiber() { return current != nullptr; }

void Wait(const std::function<void(Resume resume)>& begin) {
  Fiber* f = current;
  if (!f) std::abort();  // a caller bug: there is no fiber to suspend
  auto w = std::make_shared<WaitState>();
  w->fiber = f;
  begin([w] {
    if (w->woken) return;
    w->woken = true;
    if (w->suspended) Enter(w->fiber);
  });
  if (w->woken) return;
  w->suspended = true;
  ::swapcontext(&f->self, f->back);
}

}  // namespace warren::fiber
