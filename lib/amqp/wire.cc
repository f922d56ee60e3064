#include "amqp/wire.h"

#include <limits>

#include "amqp/codec_error.h"
#include "amqp/spec.h"

namespace warren::amqp {
namespace {

std::string WithField(const char* field, std::string_view what) {
  std::string message;
  if (field != nullptr) {
    message = "field ";
    message += field;
    message += ": ";
  }
  message += what;
  return message;
}

}  // namespace

void Reader::Fail(std::string_view what) {
  if (failed_) return;
  failed_ = true;
  error_ = WithField(field_, what);
}

void Reader::Truncated(size_t needed) {
  Fail("needs " + std::to_string(needed) + " bytes, " + std::to_string(remaining()) + " remain");
}

void Writer::ShortStr(std::string_view v) {
  if (v.size() > std::numeric_limits<uint8_t>::max()) {
    Fail("shortstr of " + std::to_string(v.size()) + " bytes is longer than 255");
    return;
  }
  U8(static_cast<uint8_t>(v.size()));
  Bytes(v);
}

void Writer::LongStr(std::string_view v) {
  if (v.size() > std::numeric_limits<uint32_t>::max()) {
    Fail("longstr of " + std::to_string(v.size()) + " bytes does not fit a 32-bit length");
    return;
  }
  U32(static_cast<uint32_t>(v.size()));
  Bytes(v);
}

void Writer::Fail(std::string_view what) {
  if (failed_) return;
  failed_ = true;
  error_ = WithField(field_, what);
}

Status Writer::Finish(std::string_view what) const {
  if (!failed_) return Status::OK();
  return CodecError(kInternalError, "cannot encode " + std::string(what) + ": " + error_);
}

}  // namespace warren::amqp
