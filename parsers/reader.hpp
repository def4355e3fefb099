// Reading bytes into text every parser can trust.
#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>

#include "base/error.hpp"

namespace ciri {

/// Default largest file ciri reads; --max-size raises it.
inline constexpr size_t kDefaultMaxBytes = 8u << 20;

/// Turns raw bytes into parser input: rejects binary data (a NUL byte), UTF-16/32
/// and invalid UTF-8 (with the line of the first bad byte), drops a UTF-8 BOM and
/// turns CRLF and lone CR line ends into LF so line numbers stay those of the file.
Expected<std::string> decode_text(std::string bytes);

/// Reads `in` up to its end or `max_bytes` plus one byte, whichever comes first, and never
/// further: a result longer than `max_bytes` means the input is over the limit.
std::string read_at_most(std::istream& in, size_t max_bytes);

/// The error message for input over `max_bytes`, read with read_at_most (its size unknown).
std::string over_limit_message(size_t max_bytes);

/// Reads a file and decodes it with decode_text; files over `max_bytes` are rejected
/// before they are read. Errors carry the path.
Expected<std::string> read_text_file(const std::filesystem::path& path,
                                     size_t max_bytes = kDefaultMaxBytes);

}  // namespace ciri
