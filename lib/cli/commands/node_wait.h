// Waiting on a local node process, for stop / shutdown / wait / await_startup.
#pragma once

#include <sys/types.h>

#include <string>

namespace warren::cli {

// Whether process `pid` exists.
bool ProcessAlive(pid_t pid);
// Waits until `pid` is gone; false after `timeout_ms` (< 0: forever).
bool WaitForExit(pid_t pid, int timeout_ms);
// Sleeps `ms` milliseconds.
void SleepMs(int ms);

}  // namespace warren::cli
