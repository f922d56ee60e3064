// The translations between warren and libraft 0.15, kept in one place: error codes to
// Status, roles, buffers raft may free, and the framing every command travels in.
// Internal to lib/cluster/raft; pure functions.
#pragma once

#include <string_view>

// libraft's headers lack extern "C" guards.
extern "C" {
#include <raft.h>
}

#include "base/status.h"
#include "cluster/raft/raft_log.h"

namespace warren::cluster {

// The one translation of libraft's error codes: "<what>: <message>".
Status RaftError(int rv, std::string_view what, const char* message);
int ToRaftRole(Role role);
Role FromRaftRole(int role);
// A copy of `bytes` in memory raft may free (entries and snapshots are raft_free'd).
raft_buffer RaftCopy(std::string_view bytes);
// libraft 0.15 needs every entry's payload to be a multiple of 8 bytes (raft_codec.cc):
// a command travels as its length (u64, little-endian), its bytes, zero padding.
raft_buffer EncodeCommand(std::string_view command);
// The command in a framed entry; an entry that is not framed is returned whole.
std::string_view DecodeCommand(const raft_buffer& buf);
// How often raft retries a dial that failed.
unsigned ConnectRetryMs(const RaftOptions& o);

}  // namespace warren::cluster
