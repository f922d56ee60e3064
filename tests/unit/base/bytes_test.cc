#include "base/bytes.h"

#include <catch2/catch.hpp>
#include <vector>

namespace warren {
namespace {
std::string Hex(const Sha256Digest& d) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (uint8_t b : d) {
    s += k[b >> 4];
    s += k[b & 15];
  }
  return s;
}
}  // namespace

TEST_CASE("bytes: SHA-256 matches the FIPS 180-4 test vectors", "[base]") {
  CHECK(Hex(Sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Hex(Sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // 55, 56 and 64 bytes: the padding boundaries.
  CHECK(Hex(Sha256(std::string(55, 'a'))) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(Hex(Sha256(std::string(56, 'a'))) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(Hex(Sha256(std::string(64, 'a'))) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("bytes: base64 round-trips and rejects what is not base64", "[base]") {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff", 2)}) {
    auto d = Base64Decode(Base64Encode(s));
    REQUIRE(d.has_value());
    CHECK(*d == s);
  }
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
  CHECK(Base64Encode("fo") == "Zm8=");
  CHECK_FALSE(Base64Decode("Zm9").has_value());
  CHECK_FALSE(Base64Decode("Zm9v!A==").has_value());
  CHECK_FALSE(Base64Decode("Z=9v").has_value());
}

TEST_CASE("bytes: HMAC-SHA256 matches RFC 4231", "[base]") {
  // Test cases 1, 2 and 6 (a key longer than the block).
  CHECK(Hex(HmacSha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(Hex(HmacSha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(Hex(HmacSha256(std::string(131, '\xaa'),
                       "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("bytes: CRC-32 matches zlib's", "[base]") {
  CHECK(Crc32("") == 0);
  CHECK(Crc32("123456789") == 0xCBF43926u);
  CHECK(Crc32("6789", Crc32("12345")) == 0xCBF43926u);
  // Eight bytes at a time agrees with one at a time, at every length and split.
  std::string data;
  for (int i = 0; i < 300; ++i) data += char(i * 37 + 11);
  for (size_t len = 0; len <= data.size(); len += 7) {
    uint32_t bytewise = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; ++i) {
      bytewise ^= uint8_t(data[i]);
      for (int k = 0; k < 8; ++k) bytewise = (bytewise & 1) ? 0xEDB88320u ^ (bytewise >> 1) : bytewise >> 1;
    }
    const std::string_view v(data.data(), len);
    CHECK(Crc32(v) == ~bytewise);
    CHECK(Crc32(v.substr(len / 3), Crc32(v.substr(0, len / 3))) == ~bytewise);
  }
}

}  // namespace warren
