// SHA-256, for content-addressed cache keys (FIPS 180-4; no crypto library needed for hashing).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ciri {

/// The SHA-256 digest of `data`.
std::array<std::uint8_t, 32> sha256(std::string_view data);

/// The SHA-256 digest of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace ciri
