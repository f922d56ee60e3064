#include "cluster/wire.h"

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "base/node_env.h"

namespace warren::cluster {
namespace {

using json = nlohmann::json;

constexpr size_t kNonceBytes = 32;

bool KnownType(uint8_t t) {
  return (t >= uint8_t(FrameType::kHello) && t <= uint8_t(FrameType::kRefused)) ||
         t == uint8_t(FrameType::kRequest) || t == uint8_t(FrameType::kReply);
}

// HMAC-SHA256(cookie, role ++ first nonce ++ second nonce), hex.
std::string Mac(const std::string& cookie, std::string_view role, const std::string& a,
                const std::string& b) {
  Sha256Digest d = HmacSha256(cookie, std::string(role) + a + b);
  return Hex(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

// Constant-time comparison, so a wrong proof reveals nothing of the right one.
bool SameMac(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Result<json> ParsePayload(const Frame& f) {
  json j = json::parse(f.payload, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::BadInput("malformed handshake frame from the peer");
  return j;
}

std::string Field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string EncodeFrame(FrameType type, std::string_view payload) {
  uint32_t n = uint32_t(payload.size() + 1);
  std::string out;
  out.reserve(payload.size() + 5);
  out += char(n >> 24);
  out += char(n >> 16);
  out += char(n >> 8);
  out += char(n);
  out += char(type);
  out.append(payload);
  return out;
}

Result<std::optional<Frame>> FrameDecoder::Next() {
  if (buffered() < 4) return std::optional<Frame>();
  const auto* p = reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
  uint32_t n = uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
  if (n == 0) return Status::BadInput("empty inter-node frame");
  if (n > max_)
    return Status::BadInput("inter-node frame of " + std::to_string(n) +
                            " bytes is larger than the limit of " + std::to_string(max_));
  if (buffered() < 4 + size_t(n)) return std::optional<Frame>();
  uint8_t type = p[4];
  if (!KnownType(type))
    return Status::BadInput("unknown inter-node frame type " + std::to_string(type));
  Frame f{FrameType(type), buf_.substr(pos_ + 5, n - 1)};
  pos_ += 4 + n;
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > (1u << 16) && pos_ * 2 > buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  return std::optional<Frame>(std::move(f));
}

ClientHandshake::ClientHandshake(std::string cookie, Hello hello)
    : cookie_(std::move(cookie)), hello_(std::move(hello)), nonce_(RandomBytes(kNonceBytes)) {}

std::string ClientHandshake::Begin() {
  stage_ = 1;
  json j{{"v", 1},
         {"node", hello_.node},
         {"purpose", hello_.purpose},
         {"nonce", Hex(nonce_)}};
  if (hello_.purpose == "raft") {
    j["raft_id"] = hello_.raft_id;
    j["raft_address"] = hello_.raft_address;
  }
  if (hello_.purpose == "broker") {
    j["from"] = hello_.link_from;
    j["to"] = hello_.link_to;
  }
  return EncodeFrame(FrameType::kHello, j.dump());
}

Result<Step> ClientHandshake::OnFrame(const Frame& f) {
  if (f.type == FrameType::kRefused) {
    auto j = ParsePayload(f);
    std::string reason = j.ok() ? Field(*j, "reason") : "";
    return Status::AccessRefused(reason.empty() ? "the peer refused the connection" : reason);
  }
  WARREN_ASSIGN_OR_RETURN(json j, ParsePayload(f));
  if (stage_ == 1 && f.type == FrameType::kChallenge) {
    peer_ = Field(j, "node");
    server_nonce_ = Field(j, "nonce");
    if (server_nonce_.size() != kNonceBytes * 2)
      return Status::BadInput("malformed challenge from the peer");
    stage_ = 2;
    json proof{{"mac", Mac(cookie_, "warren client", server_nonce_, Hex(nonce_))}};
    return Step{EncodeFrame(FrameType::kProof, proof.dump()), false};
  }
  if (stage_ == 2 && f.type == FrameType::kWelcome) {
    if (!SameMac(Field(j, "mac"), Mac(cookie_, "warren server", Hex(nonce_), server_nonce_)))
      return Status::AccessRefused("node " + peer_ +
                                   " could not prove it holds the same cookie; check the "
                                   "cookie file on both nodes");
    stage_ = 3;
    return Step{"", true};
  }
  return Status::BadInput("unexpected frame during the inter-node handshake");
}

ServerHandshake::ServerHandshake(std::string cookie, std::string self)
    : cookie_(std::move(cookie)), self_(std::move(self)), nonce_(RandomBytes(kNonceBytes)) {}

Result<Step> ServerHandshake::OnFrame(const Frame& f) {
  WARREN_ASSIGN_OR_RETURN(json j, ParsePayload(f));
  if (stage_ == 0 && f.type == FrameType::kHello) {
    hello_.node = Field(j, "node");
    hello_.purpose = Field(j, "purpose");
    client_nonce_ = Field(j, "nonce");
    if (hello_.purpose == "raft") {
      auto id = j.find("raft_id");
      if (id == j.end() || !id->is_number_unsigned())
        return Status::BadInput("raft connection without a raft id");
      hello_.raft_id = id->get<uint64_t>();
      hello_.raft_address = Field(j, "raft_address");
    } else if (hello_.purpose == "broker") {
      hello_.link_from = Field(j, "from");
      hello_.link_to = Field(j, "to");
      if (hello_.link_from.empty()) hello_.link_from = hello_.node;
      if (hello_.link_to.empty()) hello_.link_to = self_;
      // A node speaks for its own shards only, to this node's.
      if (HolderNode(hello_.link_from) != hello_.node || HolderNode(hello_.link_to) != self_)
        return Status::BadInput("broker link from " + hello_.link_from + " to " +
                                hello_.link_to + " does not join " + hello_.node + " and " +
                                self_);
    } else if (hello_.purpose != "rpc") {
      return Status::BadInput("unknown connection purpose '" + hello_.purpose + "'");
    }
    if (hello_.node.empty() || client_nonce_.size() != kNonceBytes * 2)
      return Status::BadInput("malformed hello from the peer");
    stage_ = 1;
    json challenge{{"v", 1}, {"node", self_}, {"nonce", Hex(nonce_)}};
    return Step{EncodeFrame(FrameType::kChallenge, challenge.dump()), false};
  }
  if (stage_ == 1 && f.type == FrameType::kProof) {
    if (!SameMac(Field(j, "mac"), Mac(cookie_, "warren client", Hex(nonce_), client_nonce_))) {
      refusal_ = EncodeFrame(
          FrameType::kRefused,
          json{{"reason", "node " + self_ + " refused the connection: the cookie does not "
                          "match (check the cookie file on both sides)"}}
              .dump());
      return Status::AccessRefused("connection attempt from " + hello_.node +
                                   " with the wrong cookie");
    }
    stage_ = 2;
    json welcome{{"mac", Mac(cookie_, "warren server", client_nonce_, Hex(nonce_))}};
    return Step{EncodeFrame(FrameType::kWelcome, welcome.dump()), true};
  }
  return Status::BadInput("unexpected frame during the inter-node handshake");
}

}  // namespace warren::cluster
