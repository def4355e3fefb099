// Privacy: secret-looking values never leave the machine.
#pragma once

#include <string>
#include <string_view>

#include "parsers/config_file.hpp"

namespace ciri {

/// True when a parameter name says it holds a secret (password, secret, token, api key,
/// credential, private key), judged on the name's last word so `key_buffer_size` and
/// `PASSWORD_RESET_TIMEOUT` are not.
bool is_secret_name(std::string_view key);

/// True when a value looks like a secret by itself: a private key block, a long high-entropy
/// token (mixed letters and digits, or long hex), or a URL with a password.
bool looks_like_secret(std::string_view value);

/// A copy of `file` whose secret values are replaced by placeholders (`<redacted-1>`, ...)
/// in both its text and its parameters; keys, lines and everything else are kept, so
/// findings on the copy map back to the original by key and line. `count` says how many
/// values were replaced.
ConfigFile redact(const ConfigFile& file, int* count = nullptr);

}  // namespace ciri
