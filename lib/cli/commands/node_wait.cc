#include "cli/commands/node_wait.h"

#include <signal.h>
#include <time.h>

#include <cerrno>
#include <chrono>

namespace warren::cli {

bool ProcessAlive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

void SleepMs(int ms) {
  timespec ts{ms / 1000, long(ms % 1000) * 1000000L};
  while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

bool WaitForExit(pid_t pid, int timeout_ms) {
  auto start = std::chrono::steady_clock::now();
  while (ProcessAlive(pid)) {
    if (timeout_ms >= 0 && std::chrono::steady_clock::now() - start >
                               std::chrono::milliseconds(timeout_ms))
      return false;
    SleepMs(5);
  }
  return true;
}

}  // namespace warren::cli
