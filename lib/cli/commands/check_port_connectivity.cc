#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "cli/commands/commands.h"
#include "cli/commands/common.h"
#include "cli/commands/node_format.h"

namespace warren::cli::commands {
namespace {

constexpr int kDefaultTimeoutMs = 30'000;

// Opens and closes a TCP connection to host:port within `timeout_ms`; true on success.
// Plain POSIX sockets, so the CLI links nothing new.
bool CanConnect(const std::string& host, int port, int timeout_ms) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
  bool ok = false;
  for (addrinfo* a = found; a != nullptr && !ok; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      ok = true;
    } else if (errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof(err);
      ok = ::poll(&p, 1, timeout_ms) == 1 &&
           ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    }
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return ok;
}

// Where to reach a listener: its own address, or the node's host for a wildcard one.
std::string TargetHost(const Invocation& inv, const json& listener) {
  std::string iface = listener.value("interface", "");
  if (iface.size() >= 2 && iface.front() == '[' && iface.back() == ']')
    iface = iface.substr(1, iface.size() - 2);
  if (iface.empty() || iface == "::" || iface == "0.0.0.0")
    return inv.node.substr(inv.node.find('@') + 1);
  return iface;
}

}  // namespace

CommandSpec CheckPortConnectivity() {
  CommandSpec c;
  c.name = "check_port_connectivity";
  c.scopes = kDiagnostics;
  c.section = "Monitoring, observability and health checks";
  c.needs_app = NeedsApp::kRunning;
  c.description = "Basic TCP connectivity health check for each listener's port on the target node";
  c.usage = "[--timeout <timeout>]";
  c.doc_guides = {"https://rabbitmq.com/monitoring.html"};
  // The json report of a failed check goes to stderr on its own.
  c.errors = {{"unavailable:check_failed_json", {69, true}}};
  c.banner = [](const Invocation& inv) {
    return "Testing TCP connections to all active listeners on node " + inv.node + " ...";
  };
  c.run = [](Invocation& inv) -> Result<json> {
    WARREN_ASSIGN_OR_RETURN(json listeners, Call(inv, "GET", "/api/node/listeners"));
    // As rabbitmq-diagnostics: the timeout is shared among the listeners.
    const int per_listener =
        inv.timeout_ms.value_or(kDefaultTimeoutMs) / int(listeners.size() + 1);
    json failures = json::array();
    for (const auto& l : listeners) {
      if (!CanConnect(TargetHost(inv, l), l.value("port", 0), per_listener)) failures.push_back(l);
    }
    if (failures.empty()) return listeners;
    if (inv.formatter == "json") {
      const json report = {{"failures", failures}, {"node", inv.node}, {"result", "error"}};
      return Status::Unavailable(report.dump(), "check_failed_json");
    }
    std::string text = "Connection to ports of the following listeners on node " + inv.node +
                       " failed: ";
    for (const auto& l : failures) text += "\n" + ListenerLine(l);
    return Status::Unavailable(text, "check_failed");
  };
  c.output = [](Invocation& inv, const json& listeners) {
    if (inv.formatter == "json") {
      PrintJsonLine(json{{"listeners", listeners}, {"node", inv.node}, {"result", "ok"}});
      return 0;
    }
    std::vector<int> ports;
    for (const auto& l : listeners) ports.push_back(l.value("port", 0));
    std::sort(ports.begin(), ports.end());
    std::string list;
    for (int p : ports) list += (list.empty() ? "" : ", ") + std::to_string(p);
    std::printf("Successfully connected to ports %s on node %s.\n", list.c_str(), inv.node.c_str());
    return 0;
  };
  return c;
}

}  // namespace warren::cli::commands
