// The broker's peer link protocol (docs/clustering.md, "Queues across members"): how a
// member uses a queue another member holds. The link is a socket the inter-node
// transport authenticated with the cookie; the member that dials it (the "user") sends
// publishes, consumes, credit, settlements and queue operations; the member that holds
// the queues (the "home") answers with confirms, deliveries and replies.
//
// A frame is a 4-byte big-endian length, a 1-byte op, then length-1 bytes of fields:
// integers big-endian, strings as a 4-byte length and their bytes, and a message, when
// the frame has one, last, as SerializeMessage's bytes. Sans-IO (CONVENTIONS 9): these types turn bytes into frames
// and values into bytes; the link moves them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace warren::broker::peer {

enum class Op : uint8_t {
  // user -> home
  kPublish = 1,   // u64 confirm id (0: none), vhost, queue, message
  kConsume = 2,   // u64 request, u64 consumer, vhost, queue, tag,
                  // u8 flags (1 no-ack, 2 exclusive), i32 priority, u32 credit
  kCredit = 3,    // u64 consumer, u32 more
  kSettle = 4,    // u8 how (Settle), u32 n, n x u64 delivery
  kCancel = 5,    // u64 consumer
  kGet = 6,       // u64 request, vhost, queue, u8 no-ack
  kQueueOp = 7,   // u64 request, u8 QueueOp, vhost, queue, u8 flags (1 if-unused, 2 if-empty)
  kDeclare = 8,   // u64 request, vhost, queue, u8 flags (1 durable, 2 auto-delete),
                  // arguments as JSON (field_json.h): the queue is placed there
  kDirectReply = 9,  // token, message: a reply for a direct reply-to consumer there
  // home -> user
  kConfirm = 20,    // u64 first, u64 last, u8 ack: publishes first..last confirmed
  kDeliver = 21,    // u64 consumer, u64 delivery, u8 redelivered, message
  kReply = 22,      // u64 request, u16 reply code (0: ok), text, u64 a, u64 b
  kGetOk = 23,      // u64 request, u64 delivery, u8 redelivered, u32 left, message
  kCancelled = 24,  // u64 consumer: its queue went away
  kFlow = 25,       // vhost, queue, u8 on: the queue's consumers are not keeping up
};

enum class Settle : uint8_t { kAck = 0, kReject = 1, kRequeue = 2 };
// kInfo replies (ready, consumers); kPurge and kDelete (messages dropped, 0).
enum class QueueOp : uint8_t { kInfo = 0, kPurge = 1, kDelete = 2 };

inline constexpr uint32_t kMaxFrame = 256u << 20;  // a message of max_message_size and more

// Appends fields to a frame under construction; Finish() fills in its length.
class FrameWriter {
 public:
  FrameWriter(std::string& out, Op op);
  FrameWriter& U8(uint8_t v);
  FrameWriter& U16(uint16_t v);
  FrameWriter& U32(uint32_t v);
  FrameWriter& U64(uint64_t v);
  FrameWriter& Str(std::string_view s);
  void Finish();

 private:
  std::string& out_;
  size_t start_;
};

// Reads the fields of one frame; every read fails (BadInput) past the end.
class FieldReader {
 public:
  explicit FieldReader(std::string_view payload) : p_(payload) {}
  Result<uint8_t> U8();
  Result<uint16_t> U16();
  Result<uint32_t> U32();
  Result<uint64_t> U64();
  Result<std::string_view> Str();
  std::string_view Rest();  // the bytes left (a message ends every frame that has one)
  bool done() const { return p_.empty(); }

 private:
  Result<uint64_t> Int(size_t n);
  std::string_view p_;
};

struct Frame {
  Op op;
  std::string_view payload;  // borrowed from the bytes given to Next()
};

// The first whole frame in `bytes` and how many bytes it took; nothing when more are
// needed; BadInput for an empty or oversized frame or an unknown op.
Result<std::optional<std::pair<Frame, size_t>>> NextFrame(std::string_view bytes);

}  // namespace warren::broker::peer
