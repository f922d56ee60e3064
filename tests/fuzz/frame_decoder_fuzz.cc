// libFuzzer target: arbitrary bytes through the frame decoder, the method dispatch and
// the field-table parser (docs/fuzzing.md). Beyond "no crash, no sanitizer report" it
// checks that every error carries a reply code and that whatever decodes is stable under
// re-encoding: encode(decode(encode(x))) == encode(x). (One round may normalise, e.g. a
// 't' value of 2 or undefined bits in a bit octet.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "amqp/codec_error.h"
#include "amqp/field_table.h"
#include "amqp/frame.h"
#include "amqp/spec.h"
#include "amqp/wire.h"

namespace warren::amqp {
namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckError(const Status& status) { Check(ReplyCodeOf(status).has_value()); }

void CheckMethod(const Method& method) {
  std::string once;
  Check(EncodeMethod(method, once).ok());
  auto again = DecodeMethod(once);
  Check(again.ok());
  std::string twice;
  Check(EncodeMethod(*again, twice).ok());
  Check(once == twice);
  const Status valid = std::visit([](const auto& m) { return m.Validate(); }, method);
  if (!valid.ok()) CheckError(valid);
}

void CheckProperties(const BasicProperties& properties) {
  std::string once;
  Check(properties.Encode(once).ok());
  Reader r(once);
  BasicProperties again;
  again.Decode(r);
  Check(!r.failed() && r.remaining() == 0);
  std::string twice;
  Check(again.Encode(twice).ok());
  Check(once == twice);
}

void CheckEvents(const std::vector<FrameEvent>& events) {
  for (const FrameEvent& event : events) {
    if (const auto* m = std::get_if<MethodEvent>(&event)) CheckMethod(m->method);
    if (const auto* h = std::get_if<HeaderEvent>(&event)) CheckProperties(h->properties);
  }
}

}  // namespace

void FuzzOne(const uint8_t* data, size_t size) {
  if (size == 0) return;
  // The first byte chooses how the rest is cut into reads and which frame-max applies, so
  // partial frames and the size check get exercised as well as whole frames.
  const uint8_t mode = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t step = (mode & 0x40) != 0 ? input.size() : size_t{(mode & 0x3fu) + 1u};

  FrameDecoder decoder((mode & 0x80) != 0 ? kFrameMinSize : 131072);
  std::string buffer;
  std::vector<FrameEvent> events;
  for (size_t at = 0; at < input.size(); at += step) {
    buffer.append(input.substr(at, step));
    events.clear();
    auto consumed = decoder.Decode(buffer, events);
    CheckEvents(events);  // body events borrow `buffer`: use them before it changes
    if (!consumed.ok()) {
      CheckError(consumed.status());
      break;
    }
    Check(*consumed <= buffer.size());
    buffer.erase(0, *consumed);
  }

  // The same bytes as one method payload and as one field table.
  auto method = DecodeMethod(input);
  if (method.ok()) {
    CheckMethod(*method);
  } else {
    CheckError(method.status());
  }
  auto table = ParseFieldTable(input);
  if (table.ok()) {
    std::string once;
    Check(AppendFieldTable(*table, once).ok());
    auto again = ParseFieldTable(once);
    Check(again.ok());
    std::string twice;
    Check(AppendFieldTable(*again, twice).ok());
    Check(once == twice);
  } else {
    CheckError(table.status());
  }
  (void)CheckProtocolHeader(input);
}

}  // namespace warren::amqp

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  warren::amqp::FuzzOne(data, size);
  return 0;
}
