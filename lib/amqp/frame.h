// AMQP 0-9-1 framing, sans-IO: the protocol header, a FrameDecoder that turns received
// bytes into events (method, content header, content body, heartbeat) while checking
// frame-max, frame ends and the method/header/body order of each channel's content, and
// writers that append frames (content split into body frames that fit frame-max).
// A FrameDecoder belongs to one connection and its shard; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "amqp/names.h"
#include "amqp/spec.h"
#include "base/status.h"

namespace warren::amqp {

// What a client sends before any frame: "AMQP", 0, then protocol 0-9-1.
inline constexpr std::string_view kProtocolHeader{"AMQP\x00\x00\x09\x01", 8};
// Frame type, channel and size before the payload; the frame-end octet after it.
inline constexpr uint32_t kFrameHeaderSize = 7;
inline constexpr uint32_t kFrameOverhead = kFrameHeaderSize + 1;

enum class FrameType : uint8_t {
  kMethod = kFrameMethod,
  kHeader = kFrameHeader,
  kBody = kFrameBody,
  kHeartbeat = kFrameHeartbeat,
};

enum class HeaderCheck {
  kNeedMore,  // a correct prefix: wait for the rest of the 8 bytes
  kAccepted,  // AMQP 0-9-1: frames follow
  kRejected,  // anything else: write kProtocolHeader back and close the socket
};
// Checks the first bytes a client sent against kProtocolHeader (only the first 8 count).
HeaderCheck CheckProtocolHeader(std::string_view received);

struct MethodEvent {
  ChannelId channel;
  Method method;
};
struct HeaderEvent {
  ChannelId channel;
  uint16_t class_id = 0;
  uint64_t body_size = 0;  // 0: the content is complete, no body frame follows
  BasicProperties properties;
};
struct BodyEvent {
  ChannelId channel;
  std::string_view bytes;  // borrowed from the bytes passed to Decode()
  bool last = false;       // this fragment completes the declared body size
};
struct HeartbeatEvent {};
using FrameEvent = std::variant<MethodEvent, HeaderEvent, BodyEvent, HeartbeatEvent>;

class FrameDecoder {
 public:
  // Before connection.tune-ok the limit is frame-min-size, as RabbitMQ's is.
  explicit FrameDecoder(uint32_t frame_max = kFrameMinSize) : frame_max_(frame_max) {}

  // The negotiated frame-max (0: no limit); it applies from the next Decode() on.
  void set_frame_max(uint32_t frame_max) { frame_max_ = frame_max; }
  uint32_t frame_max() const { return frame_max_; }

  // Decodes the whole frames at the front of `bytes`, appends one event per frame to
  // `events` and returns how many bytes they took; a partial frame is left for the next
  // call with more bytes. BodyEvent bytes borrow from `bytes`.
  // Errors are codec errors (codec_error.h), all closing the connection: 501 FRAME_ERROR
  // for an unknown frame type, a frame over frame-max, a bad frame-end octet or a
  // malformed payload; 505 UNEXPECTED_FRAME for content frames out of order; 540 for an
  // unknown method. Events of the frames before the bad one are still in `events`. After
  // an error every call returns it again.
  Result<size_t> Decode(std::string_view bytes, std::vector<FrameEvent>& events);

 private:
  struct PendingContent {
    uint16_t class_id = 0;
    bool have_header = false;
    uint64_t remaining = 0;  // body bytes still expected once the header arrived
  };
  Status DecodeFrame(FrameType type, ChannelId channel, std::string_view payload,
                     std::vector<FrameEvent>& events);
  Status Fail(Status s);

  uint32_t frame_max_;
  Status error_;
  // Channels whose content method arrived and whose header or body is still due.
  std::unordered_map<uint16_t, PendingContent> pending_;
};

// Appends one method frame. Errors are codec errors with reply code 541 (a value that does
// not fit its wire type, or a frame over `frame_max`); `out` is then unchanged.
Status WriteMethodFrame(std::string& out, ChannelId channel, const Method& method,
                        uint32_t frame_max);
// Appends a content method, its header frame and body frames, each body frame at most
// `frame_max` bytes (payload frame_max - 8). Errors as above, and for a method without
// content; `out` is then unchanged.
Status WriteContent(std::string& out, ChannelId channel, const Method& method,
                    const BasicProperties& properties, std::string_view body, uint32_t frame_max);
// As WriteContent, with the properties already encoded (flag word and values, as a
// header frame carries them): a broker re-sends a message's properties unchanged, so it
// encodes them once on publish instead of once per delivery.
Status WriteContentEncoded(std::string& out, ChannelId channel, const Method& method,
                           std::string_view encoded_properties, std::string_view body,
                           uint32_t frame_max);
void WriteHeartbeat(std::string& out);

}  // namespace warren::amqp
