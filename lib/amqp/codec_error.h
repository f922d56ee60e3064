// Codec errors: a Status of kind BadInput that also carries the AMQP reply code the
// connection answers with (501 FRAME_ERROR, 505 UNEXPECTED_FRAME, ...), so the layer that
// closes the channel or connection does not have to guess it from the message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"

namespace warren::amqp {

// BadInput with `message`; ReplyCodeOf() gives back `reply_code`.
Status CodecError(uint16_t reply_code, std::string message);
// The reply code of a Status made by CodecError; nullopt for OK or any other Status.
std::optional<uint16_t> ReplyCodeOf(const Status& status);

}  // namespace warren::amqp
