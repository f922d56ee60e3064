// The control client's door to a node through its inter-node port (docs/clustering.md,
// "Reaching a node on another host"): a blocking TCP connection opened with the cookie
// handshake (cluster/wire.h), then per call one request frame
// {"op":"control","id","method","path","query","body"}, answered by {"status","body"}
// as the control socket answers with an HTTP status and body. Used by control::Client
// only. Not thread-safe; one per CLI invocation.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "control/client.h"
#include "control/internal/io.h"

namespace warren::cluster {
class FrameDecoder;
}

namespace warren::control {

class DistClient {
 public:
  explicit DistClient(RemoteNode node);
  ~DistClient();

  // As Client::Call. The first call reads the cookie file and connects; a connection that
  // failed is opened afresh by the next call.
  Result<nlohmann::json> Call(int timeout_ms, std::string_view method, std::string_view path,
                              const nlohmann::json& body,
                              const std::map<std::string, std::string>& query);

 private:
  Status Connect(const internal::Deadline& deadline);
  Result<nlohmann::json> Request(const internal::Deadline& deadline, const nlohmann::json& req);

  RemoteNode node_;
  std::string where_;  // "inter-node port host:port", for messages
  internal::Fd fd_;
  std::unique_ptr<cluster::FrameDecoder> decoder_;
  uint64_t next_id_ = 1;
};

}  // namespace warren::control
