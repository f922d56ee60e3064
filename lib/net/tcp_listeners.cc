#include "net/tcp_listeners.h"

#include <asio.hpp>

#include "base/log.h"

namespace warren::net {
namespace {

using asio::ip::tcp;

class TcpListenersImpl : public TcpListeners {
 public:
  TcpListenersImpl(asio::io_context& io, ConnectionHandler handler, std::string what)
      : io_(io), handler_(std::move(handler)), what_(std::move(what)) {}
  ~TcpListenersImpl() override { Close(); }

  Status Bind(const Listener& l) {
    std::error_code ec;
    auto acc = std::make_unique<tcp::acceptor>(io_);
    tcp::endpoint ep;
    if (l.ip.empty()) {
      // Every interface, IPv4 and IPv6 alike, on one dual-stack socket; where the host
      // has no IPv6, fall back to IPv4 only.
      ep = tcp::endpoint(tcp::v6(), uint16_t(l.port));
      acc->open(ep.protocol(), ec);
      if (ec) {
        ec.clear();
        ep = tcp::endpoint(tcp::v4(), uint16_t(l.port));
        acc->open(ep.protocol(), ec);
      } else {
        acc->set_option(asio::ip::v6_only(false), ec);
      }
    } else {
      auto addr = asio::ip::make_address(l.ip, ec);
      if (ec) return Status::BadInput("listener address '" + l.ip + "' is not an IP address");
      ep = tcp::endpoint(addr, uint16_t(l.port));
      acc->open(ep.protocol(), ec);
    }
    if (!ec) acc->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acc->bind(ep, ec);
    if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      std::string where = (l.ip.empty() ? std::string("port ") : l.ip + ":") + std::to_string(l.port);
      return Status::Unavailable("could not bind the " + what_ + " listener on " + where + ": " +
                                 ec.message());
    }
    bound_.push_back({ep.address().to_string(), l.port});
    Accept(*acc);
    acceptors_.push_back(std::move(acc));
    return Status::OK();
  }

  std::vector<BoundListener> bound() const override { return bound_; }

  void Close() override {
    for (auto& a : acceptors_) {
      std::error_code ec;
      a->close(ec);
    }
    acceptors_.clear();
    bound_.clear();
  }

 private:
  void Accept(tcp::acceptor& acc) {
    acc.async_accept([this, &acc](std::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        handler_(socket.release());
      } else {
        log::Warning("accept: " + ec.message());
      }
      if (acc.is_open()) Accept(acc);
    });
  }

  asio::io_context& io_;
  ConnectionHandler handler_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  std::vector<BoundListener> bound_;
  std::string what_;
};

}  // namespace

Result<std::unique_ptr<TcpListeners>> TcpListeners::Open(asio::io_context& io,
                                                         const std::vector<Listener>& listeners,
                                                         ConnectionHandler handler,
                                                         const std::string& what) {
  auto impl = std::make_unique<TcpListenersImpl>(io, std::move(handler), what);
  for (const auto& l : listeners) WARREN_TRY(impl->Bind(l));
  return std::unique_ptr<TcpListeners>(std::move(impl));
}

}  // namespace warren::net
