#include "cluster/raft/internal/raft_codec.h"

#include <algorithm>
#include <cstring>

namespace warren::cluster {

// The one translation of libraft's error codes.
Status RaftError(int rv, std::string_view what, const char* message) {
  std::string m(what);
  m += ": ";
  m += (message != nullptr && message[0] != '\0') ? message : raft_strerror(rv);
  switch (rv) {
    case RAFT_NOTLEADER:
    case RAFT_LEADERSHIPLOST:
    case RAFT_SHUTDOWN:
    case RAFT_NOCONNECTION:
    case RAFT_CANCELED:
    case RAFT_BUSY:
      return Status::Unavailable(std::move(m));
    case RAFT_CANTCHANGE:
    case RAFT_CANTBOOTSTRAP:
    case RAFT_BADROLE:
      return Status::Precondition(std::move(m));
    case RAFT_NOTFOUND:
    case RAFT_BADID:
      return Status::NotFound(std::move(m));
    case RAFT_DUPLICATEID:
    case RAFT_DUPLICATEADDRESS:
      return Status::AlreadyExists(std::move(m));
    case RAFT_MALFORMED:
    case RAFT_INVALID:
    case RAFT_NAMETOOLONG:
    case RAFT_TOOBIG:
      return Status::BadInput(std::move(m));
    case RAFT_UNAUTHORIZED:
      return Status::AccessRefused(std::move(m));
    default:  // RAFT_NOMEM, RAFT_CORRUPT, RAFT_IOERR, RAFT_NOSPACE, RAFT_TOOMANY
      return Status::Internal(std::move(m));
  }
}

int ToRaftRole(Role role) {
  switch (role) {
    case Role::kVoter:
      return RAFT_VOTER;
    case Role::kStandby:
      return RAFT_STANDBY;
    case Role::kSpare:
      return RAFT_SPARE;
  }
  return RAFT_SPARE;
}

Role FromRaftRole(int role) {
  if (role == RAFT_VOTER) return Role::kVoter;
  if (role == RAFT_STANDBY) return Role::kStandby;
  return Role::kSpare;
}

// A copy of `bytes` in memory raft may free (entries and snapshots are raft_free'd).
raft_buffer RaftCopy(std::string_view bytes) {
  raft_buffer buf;
  buf.len = bytes.size();
  buf.base = raft_malloc(std::max<size_t>(1, bytes.size()));
  if (buf.base != nullptr && !bytes.empty()) std::memcpy(buf.base, bytes.data(), bytes.size());
  return buf;
}

// libraft 0.15 needs every entry's payload to be a multiple of 8 bytes: its segment
// and AppendEntries encoders assume the padding (an assert that release builds drop),
// and anything else corrupts the log on disk and on the wire without an error. So a
// command travels framed: its length (u64, little-endian), its bytes, zero padding.
constexpr size_t kFrameHeader = 8;

raft_buffer EncodeCommand(std::string_view command) {
  raft_buffer buf;
  buf.len = kFrameHeader + (command.size() + 7) / 8 * 8;
  buf.base = raft_calloc(1, buf.len);
  if (buf.base == nullptr) return buf;
  auto* out = static_cast<unsigned char*>(buf.base);
  for (size_t i = 0; i < kFrameHeader; ++i) {
    out[i] = static_cast<unsigned char>(static_cast<uint64_t>(command.size()) >> (8 * i));
  }
  if (!command.empty()) std::memcpy(out + kFrameHeader, command.data(), command.size());
  return buf;
}

// The command in a framed entry; an entry that is not framed is returned whole.
std::string_view DecodeCommand(const raft_buffer& buf) {
  std::string_view whole(static_cast<const char*>(buf.base), buf.len);
  if (buf.len < kFrameHeader) return whole;
  const auto* in = static_cast<const unsigned char*>(buf.base);
  uint64_t size = 0;
  for (size_t i = 0; i < kFrameHeader; ++i) size |= static_cast<uint64_t>(in[i]) << (8 * i);
  if (size > buf.len - kFrameHeader) return whole;
  return whole.substr(kFrameHeader, size);
}

// How often raft retries a dial that failed: a peer coming back is noticed within
// about one election timeout.
unsigned ConnectRetryMs(const RaftOptions& o) {
  return std::max(o.heartbeat_timeout_ms, o.election_timeout_ms / 2);
}


}  // namespace warren::cluster
