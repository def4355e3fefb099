// Trust: what a repository's .ciri.yaml may ask for, and which ones the user has trusted.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "ciri/ciri_config.hpp"

namespace ciri {

/// The user's own configuration: $XDG_CONFIG_HOME/ciri/config.yaml, else
/// ~/.config/ciri/config.yaml; empty when neither variable is set.
std::filesystem::path user_config_path();

/// Where trusted repository configurations are remembered, one `SHA256 PATH` line each:
/// $XDG_DATA_HOME/ciri/trusted, else ~/.local/share/ciri/trusted; empty when neither is set.
std::filesystem::path trust_store_path();

/// A setting only the user's own configuration, a flag or a trusted file may make.
struct PrivilegedSetting {
    int line = 0;
    std::string key;   ///< the key as written (`spec`, `base_url`, `api_key_env`)
    std::string what;  ///< what it would do, e.g. "runs the program ./judge.sh"
};

/// The settings of `config` that run a program (`command//`), choose a base URL that
/// receives a key (an `@base_url` or `base_url:` on a provider that sends one), name the
/// environment variable a key comes from (`api_key_env:`), or read a prompt template, shot
/// pool, source tree (`code:`) or spec table outside the directory of `config.path` (it would go out in prompts),
/// in file order.
std::vector<PrivilegedSetting> privileged_settings(const CiriConfig& config);

/// One remembered file.
struct TrustEntry {
    std::string sha256;
    std::filesystem::path path;  ///< absolute, as trusted
};

/// The entries of the trust store; none when it does not exist yet.
Expected<std::vector<TrustEntry>> read_trust_store();

/// True when the store holds `path` with the SHA-256 of `content`: a file edited since it
/// was trusted is not trusted any more.
bool is_trusted(const std::filesystem::path& path, std::string_view content);

/// Whether a remembered file is still as it was trusted: "trusted", "changed" or "missing".
std::string trust_state(const TrustEntry& entry);

/// Remembers `path` with the SHA-256 of its current content (replacing an older entry for it).
/// Returns the entry written.
Expected<TrustEntry> trust_file(const std::filesystem::path& path);

/// Forgets `path`; returns false when it was not trusted.
Expected<bool> untrust_file(const std::filesystem::path& path);

/// The user's configuration with the repository's on top: the repository's plain settings
/// (models, samples, vote, ignores, systems, ...) override or extend the user's, and a
/// repository model of the same provider/model without settings of its own takes the user's
/// base URL, key variable, limits and prices; `context:` facts merge key by key, the
/// repository's winning. The user's `weights:` and `code:` stay relative to the user's file.
/// The caller has checked `repo`'s privileged settings (load_effective_config refuses them in
/// an untrusted file).
CiriConfig merge_configs(const CiriConfig& user, const CiriConfig& repo);

/// The configuration a run uses: the user's own file (when `read_user` and it exists), then
/// the repository's `repo` (when given). Throws UserError (exit 2) when a file does not
/// parse, or when an untrusted `repo` asks for a privileged setting: the message names the
/// file, the line and the key of each, and how to trust it.
CiriConfig load_effective_config(const std::optional<std::filesystem::path>& repo, bool read_user = true);

}  // namespace ciri
