// The inter-node wire (docs/clustering.md): frames on WARREN_DIST_PORT and the cookie
// handshake that opens every connection, sans-IO (CONVENTIONS 9): these types turn bytes
// into frames and frames into replies; the caller moves the bytes.
//
// A frame is a 4-byte big-endian length, then a 1-byte type, then length-1 bytes of
// payload. The handshake proves on both sides that the peer holds the same cookie
// without sending it: each side sends a random nonce and answers with
// HMAC-SHA256(cookie, role ++ nonces). Pure values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace warren::cluster {

enum class FrameType : uint8_t {
  kHello = 1,      // client -> server: who I am, what for, my nonce
  kChallenge = 2,  // server -> client: who I am, my nonce
  kProof = 3,      // client -> server: HMAC over both nonces
  kWelcome = 4,    // server -> client: HMAC over both nonces, the other way round
  kRefused = 5,    // server -> client: why not, then the server closes
  kRequest = 10,   // JSON {"id": n, "op": "...", ...}
  kReply = 11,     // JSON {"id": n, "ok": true, "body": ...} or {"id": n, "ok": false, "kind", "reason"}
};

inline constexpr uint32_t kMaxFrame = 64u << 20;       // after the handshake
inline constexpr uint32_t kMaxHandshakeFrame = 4096;  // before it

struct Frame {
  FrameType type;
  std::string payload;
};

std::string EncodeFrame(FrameType type, std::string_view payload);

// Accumulates bytes and yields whole frames.
class FrameDecoder {
 public:
  explicit FrameDecoder(uint32_t max_frame) : max_(max_frame) {}
  void Feed(std::string_view bytes) { buf_.append(bytes); }
  // A whole frame, nothing (more bytes needed), or BadInput for a frame that is too
  // large, empty or of an unknown type (the connection must then be closed).
  Result<std::optional<Frame>> Next();
  void set_max(uint32_t max_frame) { max_ = max_frame; }
  // Bytes received after the last whole frame.
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::string buf_;
  size_t pos_ = 0;
  uint32_t max_;
};

// What a connection is for, as the client states it in its hello.
struct Hello {
  std::string node;     // the caller's node name, or "cli-<pid>@host" for a CLI
  std::string purpose;  // "rpc" | "raft" | "broker"
  uint64_t raft_id = 0;      // for "raft": the caller's raft id and address
  std::string raft_address;
  // For "broker": the holder calling (its node, or "<node>/<i>" for shard i of it) and
  // the holder called (this node or one of its shards); empty means the node itself.
  std::string link_from, link_to;
};

// One step of a handshake: bytes to send, and whether it is over.
struct Step {
  std::string send;
  bool done = false;
};

class ClientHandshake {
 public:
  ClientHandshake(std::string cookie, Hello hello);
  // The hello frame, to send first.
  std::string Begin();
  // Challenge -> proof; welcome -> done. Refused, a wrong server proof or an
  // unexpected frame -> AccessRefused / BadInput naming the reason.
  Result<Step> OnFrame(const Frame& frame);
  // The server's node name, once challenged.
  const std::string& peer() const { return peer_; }

 private:
  std::string cookie_;
  Hello hello_;
  std::string nonce_, server_nonce_, peer_;
  int stage_ = 0;
};

class ServerHandshake {
 public:
  ServerHandshake(std::string cookie, std::string self);
  // Hello -> challenge; proof -> welcome and done. A wrong proof returns
  // AccessRefused; `refusal()` then holds the frame to send before closing.
  Result<Step> OnFrame(const Frame& frame);
  const Hello& hello() const { return hello_; }
  const std::string& refusal() const { return refusal_; }

 private:
  std::string cookie_, self_;
  Hello hello_;
  std::string nonce_, client_nonce_, refusal_;
  int stage_ = 0;
};

// Lower-case hex of `bytes`.
std::string Hex(std::string_view bytes);

}  // namespace warren::cluster
