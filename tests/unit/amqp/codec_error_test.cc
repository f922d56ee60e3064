#include "amqp/codec_error.h"

#include <catch2/catch.hpp>

#include "amqp/spec.h"

namespace warren::amqp {

TEST_CASE("codec_error: the reply code travels with the status", "[amqp]") {
  Status s = CodecError(kFrameError, "bad frame");
  CHECK(s.kind() == ErrorKind::kBadInput);
  CHECK(s.message() == "bad frame");
  CHECK(ReplyCodeOf(s) == uint16_t{501});
  CHECK_FALSE(ReplyCodeOf(Status::OK()).has_value());
  CHECK_FALSE(ReplyCodeOf(Status::BadInput("no code")).has_value());
  CHECK_FALSE(ReplyCodeOf(Status::BadInput("odd", "amqp-reply-code:5x")).has_value());
  CHECK_FALSE(ReplyCodeOf(Status::NotFound("other kind", "amqp-reply-code:404")).has_value());
}

}  // namespace warren::amqp
