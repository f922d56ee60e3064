#include "amqp/frame.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "amqp/codec_error.h"
#include "amqp/wire.h"

namespace warren::amqp {
namespace {

std::string Hex(uint8_t b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 0xf];
}

std::string OnChannel(ChannelId channel) { return " on channel " + std::to_string(channel.get()); }

bool IsKnownFrameType(uint8_t type) {
  return type == kFrameMethod || type == kFrameHeader || type == kFrameBody ||
         type == kFrameHeartbeat;
}

// Starts a frame whose size is patched in by EndFrame; returns where the frame starts.
size_t BeginFrame(std::string& out, FrameType type, ChannelId channel) {
  const size_t start = out.size();
  Writer w(out);
  w.U8(static_cast<uint8_t>(type));
  w.U16(channel.get());
  w.U32(0);
  return start;
}

// Patches the size and appends the frame end; on a frame over `frame_max` the frame is
// cut off again and the error returned.
Status EndFrame(std::string& out, size_t start, uint32_t frame_max, std::string_view what) {
  const size_t payload = out.size() - start - kFrameHeaderSize;
  const bool too_big = (frame_max != 0 && payload + kFrameOverhead > frame_max) ||
                       payload > std::numeric_limits<uint32_t>::max() - kFrameOverhead;
  if (too_big) {
    out.resize(start);
    return CodecError(kInternalError, std::string(what) + " frame of " +
                                          std::to_string(payload + kFrameOverhead) +
                                          " bytes exceeds frame-max " + std::to_string(frame_max));
  }
  Writer w(out);
  w.Patch32(start + 3, static_cast<uint32_t>(payload));
  w.U8(kFrameEnd);
  return Status::OK();
}

}  // namespace

HeaderCheck CheckProtocolHeader(std::string_view received) {
  const size_t n = std::min(received.size(), kProtocolHeader.size());
  if (received.substr(0, n) != kProtocolHeader.substr(0, n)) return HeaderCheck::kRejected;
  return n < kProtocolHeader.size() ? HeaderCheck::kNeedMore : HeaderCheck::kAccepted;
}

Status FrameDecoder::Fail(Status s) {
  error_ = s;
  return s;
}

Result<size_t> FrameDecoder::Decode(std::string_view bytes, std::vector<FrameEvent>& events) {
  if (!error_.ok()) return error_;
  size_t pos = 0;
  while (bytes.size() - pos >= kFrameHeaderSize) {
    Reader r(bytes.substr(pos, kFrameHeaderSize));
    const uint8_t type = r.U8();
    const ChannelId channel(r.U16());
    const uint32_t size = r.U32();
    if (!IsKnownFrameType(type)) {
      return Fail(CodecError(kFrameError, "unknown frame type " + std::to_string(type)));
    }
    // RabbitMQ's reader allows 8 bytes of slack over frame-max (clients that counted it as
    // the payload size), so a payload up to frame-max is accepted; writers stay within it.
    if (frame_max_ != 0 && size > frame_max_) {
      return Fail(CodecError(kFrameError, "frame payload of " + std::to_string(size) +
                                              " bytes exceeds frame-max " +
                                              std::to_string(frame_max_)));
    }
    if (bytes.size() - pos < kFrameOverhead + size_t{size}) break;
    const auto end = static_cast<uint8_t>(bytes[pos + kFrameHeaderSize + size]);
    if (end != kFrameEnd) {
      return Fail(CodecError(kFrameError,
                             "frame end octet is " + Hex(end) + " instead of " + Hex(kFrameEnd)));
    }
    Status s = DecodeFrame(static_cast<FrameType>(type), channel,
                           bytes.substr(pos + kFrameHeaderSize, size), events);
    if (!s.ok()) return Fail(std::move(s));
    pos += kFrameOverhead + size_t{size};
  }
  return pos;
}

Status FrameDecoder::DecodeFrame(FrameType type, ChannelId channel, std::string_view payload,
                                 std::vector<FrameEvent>& events) {
  auto pending = pending_.find(channel.get());
  switch (type) {
    case FrameType::kMethod: {
      if (pending != pending_.end()) {
        return CodecError(kUnexpectedFrame, std::string("expected a content ") +
                                                (pending->second.have_header ? "body" : "header") +
                                                " frame" + OnChannel(channel) +
                                                ", got a method frame");
      }
      WARREN_ASSIGN_OR_RETURN(Method method, DecodeMethod(payload));
      const MethodInfo& info = InfoOf(method);
      if (info.has_content) pending_[channel.get()] = PendingContent{info.class_id};
      events.emplace_back(std::in_place_type<MethodEvent>, MethodEvent{channel, std::move(method)});
      return Status::OK();
    }
    case FrameType::kHeader: {
      if (pending == pending_.end() || pending->second.have_header) {
        return CodecError(kUnexpectedFrame, "unexpected content header frame" + OnChannel(channel));
      }
      Reader r(payload);
      HeaderEvent header{channel};
      r.Field("class-id");
      header.class_id = r.U16();
      r.Field("weight");
      r.U16();  // always 0
      r.Field("body-size");
      header.body_size = r.U64();
      if (!r.failed() && header.class_id != pending->second.class_id) {
        return CodecError(kUnexpectedFrame, "content header for class " +
                                                std::to_string(header.class_id) +
                                                OnChannel(channel) + ", expected class " +
                                                std::to_string(pending->second.class_id));
      }
      header.properties.Decode(r);
      if (r.failed()) return CodecError(kFrameError, "cannot decode content header: " + r.error());
      if (r.remaining() != 0) {
        return CodecError(kFrameError,
                          "cannot decode content header: " + std::to_string(r.remaining()) +
                              " bytes after the properties");
      }
      if (header.body_size == 0) {
        pending_.erase(pending);
      } else {
        pending->second.have_header = true;
        pending->second.remaining = header.body_size;
      }
      events.emplace_back(std::in_place_type<HeaderEvent>, std::move(header));
      return Status::OK();
    }
    case FrameType::kBody: {
      if (pending == pending_.end() || !pending->second.have_header) {
        return CodecError(kUnexpectedFrame, "unexpected content body frame" + OnChannel(channel));
      }
      if (payload.size() > pending->second.remaining) {
        return CodecError(kUnexpectedFrame,
                          "content body frame of " + std::to_string(payload.size()) + " bytes" +
                              OnChannel(channel) + " overruns the body size by " +
                              std::to_string(payload.size() - pending->second.remaining));
      }
      pending->second.remaining -= payload.size();
      const bool last = pending->second.remaining == 0;
      if (last) pending_.erase(pending);
      events.emplace_back(std::in_place_type<BodyEvent>, BodyEvent{channel, payload, last});
      return Status::OK();
    }
    case FrameType::kHeartbeat:
      if (channel.get() != 0) {
        return CodecError(kFrameError, "heartbeat frame" + OnChannel(channel));
      }
      if (!payload.empty()) {
        return CodecError(kFrameError, "heartbeat frame with a payload of " +
                                           std::to_string(payload.size()) + " bytes");
      }
      events.emplace_back(std::in_place_type<HeartbeatEvent>);
      return Status::OK();
  }
  return CodecError(kFrameError, "unknown frame type");  // unreachable: checked by Decode
}

Status WriteMethodFrame(std::string& out, ChannelId channel, const Method& method,
                        uint32_t frame_max) {
  const size_t start = BeginFrame(out, FrameType::kMethod, channel);
  Status s = EncodeMethod(method, out);
  if (!s.ok()) {
    out.resize(start);
    return s;
  }
  return EndFrame(out, start, frame_max, InfoOf(method).name);
}

Status WriteContent(std::string& out, ChannelId channel, const Method& method,
                    const BasicProperties& properties, std::string_view body, uint32_t frame_max) {
  std::string encoded;
  WARREN_TRY(properties.Encode(encoded));
  return WriteContentEncoded(out, channel, method, encoded, body, frame_max);
}

Status WriteContentEncoded(std::string& out, ChannelId channel, const Method& method,
                           std::string_view encoded_properties, std::string_view body,
                           uint32_t frame_max) {
  const MethodInfo& info = InfoOf(method);
  if (!info.has_content) {
    return CodecError(kInternalError, std::string(info.name) + " carries no content");
  }
  if (frame_max != 0 && frame_max <= kFrameOverhead) {
    return CodecError(kInternalError, "frame-max " + std::to_string(frame_max) +
                                          " leaves no room for a body frame's payload");
  }
  const size_t chunk = frame_max == 0 ? std::numeric_limits<uint32_t>::max() - kFrameOverhead
                                      : frame_max - kFrameOverhead;
  const size_t before = out.size();
  out.reserve(before + 64 + encoded_properties.size() + body.size() +
              (body.size() / chunk + 1) * kFrameOverhead);

  Status s = WriteMethodFrame(out, channel, method, frame_max);
  if (!s.ok()) return s;
  const size_t header = BeginFrame(out, FrameType::kHeader, channel);
  Writer w(out);
  w.U16(info.class_id);
  w.U16(0);  // weight
  w.U64(body.size());
  w.Bytes(encoded_properties);
  s = EndFrame(out, header, frame_max, "content header");
  for (size_t offset = 0; s.ok() && offset < body.size(); offset += chunk) {
    const size_t frame = BeginFrame(out, FrameType::kBody, channel);
    out.append(body.substr(offset, chunk));
    s = EndFrame(out, frame, frame_max, "content body");
  }
  if (!s.ok()) out.resize(before);
  return s;
}

void WriteHeartbeat(std::string& out) {
  const size_t start = BeginFrame(out, FrameType::kHeartbeat, ChannelId(0));
  (void)EndFrame(out, start, 0, "heartbeat");
}

}  // namespace warren::amqp
