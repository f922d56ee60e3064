#include "cli/commands/node_wait.h"

#include <signal.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <string>

namespace warren::cli {

// A process that has exited but is not yet reaped (a zombie) has stopped too: a
// detached node's parent is init, which may reap it only much later.
bool ProcessAlive(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

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
