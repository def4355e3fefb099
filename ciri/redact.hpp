// Privacy: secret-looking values never leave the machine.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ciri/report/report.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// True when a parameter name says it holds a secret (password, pass, secret, token, api key,
/// access key id, credential, private key, passphrase, ...), judged on the name's last words
/// so `key_buffer_size`, `PASSWORD_RESET_TIMEOUT`, `pad_token` and `initial-cluster-token`
/// are not.
bool is_secret_name(std::string_view key);

/// The secrets held in the value of parameter `key`: the whole value when the name says so,
/// else the parts whose shape gives them away: the password of a URL (`redis://:pw@host`),
/// a token in a URL path (webhooks), a secret query parameter, `password=` inside a
/// connection string or a dict literal, `Bearer` tokens, a redis ACL `>password`, private key
/// blocks, JWTs, provider tokens (sk-, ghp_, xoxb-, AKIA...) and long high-entropy strings.
/// Each is a substring of the unquoted value; a URL keeps its scheme, host and path.
std::vector<std::string> find_secrets(std::string_view key, std::string_view value);

/// True when a value holds a secret by its shape alone (find_secrets without a name).
bool looks_like_secret(std::string_view value);

/// A parameter holding a secret, and the secret parts of its value.
struct SecretParam {
    size_t index = 0;  ///< into ConfigFile::params
    std::vector<std::string> secrets;
};

/// The parameters of `file` that hold secrets, in file order.
std::vector<SecretParam> find_file_secrets(const ConfigFile& file);

/// Records on `result` which parameters of `file` hold secrets, and the secrets, so reports
/// mask them (FileResult::secret_params, FileResult::secrets).
void mark_secrets(FileResult& result, const ConfigFile& file);

/// A copy of `file` whose secrets are replaced by placeholders (`<redacted-1>`, ...) in its
/// parameters and in its text, in every spelling the text may use (XML entities, JSON and
/// YAML escapes, backslash line continuations); a secret the text spells some other way has
/// its lines masked whole. Private key blocks are removed from the text. Keys, lines and
/// everything else are kept, so findings on the copy map back to the original by key and
/// line. Time is linear in the size of the file. `count` says how many secrets were replaced.
ConfigFile redact(const ConfigFile& file, int* count = nullptr);

}  // namespace ciri
