#include "amqp/codec_error.h"

#include <charconv>
#include <string_view>
#include <utility>

namespace warren::amqp {
namespace {

// The Status subject names what is wrong; for the codec that is the reply code.
constexpr std::string_view kSubjectPrefix = "amqp-reply-code:";

}  // namespace

Status CodecError(uint16_t reply_code, std::string message) {
  return Status::BadInput(std::move(message),
                          std::string(kSubjectPrefix) + std::to_string(reply_code));
}

std::optional<uint16_t> ReplyCodeOf(const Status& status) {
  if (status.ok() || status.kind() != ErrorKind::kBadInput) return std::nullopt;
  std::string_view subject = status.subject();
  if (subject.substr(0, kSubjectPrefix.size()) != kSubjectPrefix) return std::nullopt;
  subject.remove_prefix(kSubjectPrefix.size());
  uint16_t code = 0;
  const auto [end, ec] = std::from_chars(subject.data(), subject.data() + subject.size(), code);
  if (ec != std::errc() || end != subject.data() + subject.size()) return std::nullopt;
  return code;
}

}  // namespace warren::amqp
