// warren-server: runs one node, in the foreground or, with -detached, in the background
// as rabbitmq-server does. Unlike rabbitmq-server, -detached waits until the node has
// booted and exits non-zero with the reason when boot fails.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "base/node_env.h"
#include "base/version.h"
#include "node/node.h"

namespace {

void PrintBootFailed(const std::string& why) {
  std::fprintf(stderr, "\nBOOT FAILED\n===========\nERROR: %s\n\n", why.c_str());
}

// The child becomes the node; the parent reports how its boot went.
int RunDetached(warren::NodeEnv env) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    std::perror("pipe");
    return 1;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("fork");
    return 1;
  }
  if (pid > 0) {
    ::close(fds[1]);
    std::string msg;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) msg.append(buf, size_t(n));
    ::close(fds[0]);
    if (msg == "ok") return 0;
    PrintBootFailed(msg.empty() ? "the node exited during boot (see its log: " + env.log_file + ")"
                                : msg);
    return 1;
  }
  ::close(fds[0]);
  ::setsid();
  if (::fork() > 0) ::_exit(0);  // the grandchild is re-parented and cannot regain a tty
  int devnull = ::open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    ::dup2(devnull, 0);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    if (devnull > 2) ::close(devnull);
  }
  warren::node::NodeOptions options;
  options.env = std::move(env);
  options.log_to_stderr = false;
  const int report = fds[1];
  options.on_boot = [report](const warren::Status& s) {
    std::string msg = s.ok() ? "ok" : s.message();
    (void)!::write(report, msg.data(), msg.size());
    ::close(report);
  };
  warren::Status s = warren::node::Node::Run(std::move(options));
  return s.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  // rabbitmq-server spells it with one dash.
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i)
    args.push_back(std::strcmp(argv[i], "-detached") == 0 ? "--detached" : argv[i]);
  std::reverse(args.begin(), args.end());

  CLI::App app{"warren-server: runs a warren node (RabbitMQ-compatible broker)"};
  bool detached = false;
  std::string nodename;
  app.add_flag("--detached", detached, "run in the background; returns once the node has booted");
  app.add_option("-n,--nodename", nodename, "node name (default: WARREN_NODENAME or warren@<host>)");
  app.set_version_flag("--version", std::string("warren ") + warren::kVersion);
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  auto env = warren::ResolveNodeEnv(warren::ProcessEnv(),
                                    nodename.empty() ? std::nullopt : std::optional(nodename));
  if (!env.ok()) {
    PrintBootFailed(env.status().message());
    return 1;
  }
  if (detached) return RunDetached(std::move(env).value());

  const warren::NodeEnv& e = *env;
  std::printf(
      "\n  warren %s (RabbitMQ %s compatible)\n\n"
      "  Node:           %s\n  Data directory: %s\n  Log file:       %s\n"
      "  Config file:    %s\n  Control socket: %s\n\n  Starting broker...",
      warren::kVersion, warren::kRabbitmqCompatVersion, e.node.full().c_str(), e.data_dir.c_str(),
      e.log_file.c_str(), e.config_file.empty() ? "(none; defaults)" : e.config_file.c_str(),
      e.control_socket.c_str());
  std::fflush(stdout);
  warren::node::NodeOptions options;
  options.env = e;
  options.log_to_stderr = false;
  options.on_boot = [](const warren::Status& s) {
    if (s.ok()) {
      std::printf(" completed.\n\n  Stop it with Ctrl-C or 'warrenctl stop'.\n\n");
      std::fflush(stdout);
    } else {
      std::printf(" failed.\n");
      PrintBootFailed(s.message());
    }
  };
  warren::Status s = warren::node::Node::Run(std::move(options));
  return s.ok() ? 0 : 1;
}
