// Byte-level helpers with no dependencies: SHA-256 (FIPS 180-4) and HMAC, base64 (RFC 4648),
// CRC-32 (IEEE, as zlib computes it) and OS randomness. Written here rather than
// linked from libcrypto/zlib so the CLI binaries stay free of extra shared libraries
// (docs/decisions.md). All functions are pure except RandomBytes; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warren {

using Sha256Digest = std::array<uint8_t, 32>;
Sha256Digest Sha256(std::string_view data);
// HMAC-SHA256 (RFC 2104) of `data` under `key`.
Sha256Digest HmacSha256(std::string_view key, std::string_view data);

std::string Base64Encode(std::string_view bytes);
// nullopt for text that is not canonical base64.
std::optional<std::string> Base64Decode(std::string_view text);

// CRC-32 of `data`, continuing from `crc` (0 to start).
uint32_t Crc32(std::string_view data, uint32_t crc = 0);

// `n` bytes from getrandom(2).
std::string RandomBytes(size_t n);

}  // namespace warren
