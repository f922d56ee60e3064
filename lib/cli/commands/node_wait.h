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

// What a node's pid file holds: kOk with the pid (leading blanks allowed, anything after
// the digits ignored, as rabbitmqctl reads it); kMissing when there is no such file;
// kGarbage with the contents when they do not start with a pid; kError with the reason
// when the file cannot be read.
struct PidFile {
  enum State { kOk, kMissing, kGarbage, kError } state = kMissing;
  pid_t pid = 0;
  std::string detail;
};
PidFile ReadPidFile(const std::string& path);

}  // namespace warren::cli
