#include "ciri/trust.hpp"

#include "parsers/reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/atomic_file.hpp"
#include "base/sha256.hpp"
#include "ciri/backends/backend.hpp"
#include "ciri/backends/model_spec.hpp"

namespace ciri {

namespace {

// $XDG_<var>, else $HOME/<fallback>; empty when neither is set (then nothing is read).
std::filesystem::path xdg_dir(const char* var, const char* fallback) {
    if (const char* v = std::getenv(var); v && *v) return v;
    if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / fallback;
    return {};
}

std::filesystem::path absolute_path(const std::filesystem::path& p) {
    std::error_code ec;
    auto abs = std::filesystem::weakly_canonical(std::filesystem::absolute(p, ec), ec);
    return ec ? std::filesystem::absolute(p) : abs;
}

// The exact bytes (their hash is what is trusted), of a regular file of at most 8 MiB.
Expected<std::string> read_bytes(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return std::unexpected(Error{"not a regular file", 0, path.string()});
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(Error{"cannot open ciri configuration", 0, path.string()});
    std::string bytes = read_at_most(in, kDefaultMaxBytes);
    if (bytes.size() > kDefaultMaxBytes) return std::unexpected(Error{over_limit_message(kDefaultMaxBytes), 0, path.string()});
    return bytes;
}

// Providers that send a key with every request (the registry says which env var holds it);
// an unknown provider counts as one, so a typo never loosens the check.
bool sends_key(const std::string& provider) {
    for (const auto& b : backends())
        if (b.provider == provider) return !b.default_key_env.empty();
    return true;
}

Expected<void> write_store(const std::vector<TrustEntry>& entries) {
    auto store = trust_store_path();
    if (store.empty()) return std::unexpected(Error{"cannot find where to remember trusted files: set XDG_DATA_HOME or HOME"});
    std::string text;
    for (const auto& e : entries) text += e.sha256 + " " + e.path.string() + "\n";
    return write_file_atomic(store, text);
}

std::string model_name(const std::string& spec) {
    auto parsed = parse_model_spec(spec);
    return parsed ? parsed->provider + "/" + parsed->model : spec;
}

}  // namespace

std::filesystem::path user_config_path() {
    auto dir = xdg_dir("XDG_CONFIG_HOME", ".config");
    return dir.empty() ? dir : dir / "ciri" / "config.yaml";
}

std::filesystem::path trust_store_path() {
    auto dir = xdg_dir("XDG_DATA_HOME", ".local/share");
    return dir.empty() ? dir : dir / "ciri" / "trusted";
}

std::vector<PrivilegedSetting> privileged_settings(const CiriConfig& config) {
    std::vector<PrivilegedSetting> out;
    for (const auto& m : config.models) {
        auto spec = parse_model_spec(m.spec);
        if (spec && spec->provider == "command")
            out.push_back({m.spec_line, "spec", "runs the program " + spec->model});
        bool keyed = !spec || sends_key(spec->provider);
        if (spec && keyed && !spec->base_url.empty())
            out.push_back({m.spec_line, "spec", "sends " + spec->provider + "'s key to " + spec->base_url});
        if (keyed && !m.base_url.empty())
            out.push_back({m.base_url_line, "base_url", "sends " + (spec ? spec->provider : m.spec) + "'s key to " + m.base_url});
        if (!m.api_key_env.empty())
            out.push_back({m.api_key_env_line, "api_key_env", "sends the value of $" + m.api_key_env + " as a key"});
    }
    // Templates, shot pools, source code and spec tables are read and sent, and weights decide the
    // verdicts: they must be the repository's.
    auto outside = [&](const std::string& path) {
        auto root = absolute_path(config.path.empty() ? std::filesystem::path(".") : config.path.parent_path());
        auto full = absolute_path(std::filesystem::path(path).is_absolute() ? std::filesystem::path(path) : root / path);
        auto rel = full.lexically_relative(root);
        return rel.empty() || rel.string().starts_with("..");
    };
    auto line_of = [&](const char* key) { return config.lines.contains(key) ? config.lines.at(key) : 0; };
    if (config.prompt && (config.prompt->find('/') != std::string::npos || config.prompt->ends_with(".txt")) &&
        outside(*config.prompt))
        out.push_back({line_of("prompt"), "prompt", "reads " + *config.prompt + ", outside the repository"});
    if (config.shots && outside(*config.shots))
        out.push_back({line_of("shots"), "shots", "reads " + *config.shots + ", outside the repository"});
    if (config.code && outside(*config.code))
        out.push_back({line_of("code"), "code", "reads " + *config.code + ", outside the repository"});
    if (config.weights && outside(*config.weights))
        out.push_back({line_of("weights"), "weights", "reads " + *config.weights + ", outside the repository"});
    for (const auto& s : config.rules.spec)
        if (outside(s)) out.push_back({line_of("rules.spec"), "rules.spec", "reads " + s + ", outside the repository"});
    std::ranges::stable_sort(out, {}, &PrivilegedSetting::line);
    return out;
}

Expected<std::vector<TrustEntry>> read_trust_store() {
    std::vector<TrustEntry> entries;
    auto store = trust_store_path();
    std::error_code ec;
    if (store.empty() || !std::filesystem::exists(store, ec)) return entries;
    auto text = read_bytes(store);
    if (!text) return std::unexpected(Error{"cannot read the trust store", 0, store.string()});
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) {
        size_t sp = line.find(' ');
        if (sp != 64) continue;  // not a `SHA256 PATH` line: ignored, like a comment
        entries.push_back({line.substr(0, sp), line.substr(sp + 1)});
    }
    return entries;
}

bool is_trusted(const std::filesystem::path& path, std::string_view content) {
    auto entries = read_trust_store();
    if (!entries) return false;
    std::string hash = sha256_hex(content);
    auto abs = absolute_path(path);
    return std::ranges::any_of(*entries, [&](const TrustEntry& e) { return e.path == abs && e.sha256 == hash; });
}

std::string trust_state(const TrustEntry& entry) {
    auto text = read_bytes(entry.path);
    if (!text) return "missing";
    return sha256_hex(*text) == entry.sha256 ? "trusted" : "changed";
}

Expected<TrustEntry> trust_file(const std::filesystem::path& path) {
    auto text = read_bytes(path);
    if (!text) return std::unexpected(text.error());
    auto entries = read_trust_store();
    if (!entries) return std::unexpected(entries.error());
    TrustEntry entry{sha256_hex(*text), absolute_path(path)};
    if (entry.path.string().find('\n') != std::string::npos)
        return std::unexpected(Error{"cannot trust a path with a newline in it", 0, path.string()});
    std::erase_if(*entries, [&](const TrustEntry& e) { return e.path == entry.path; });
    entries->push_back(entry);
    if (auto written = write_store(*entries); !written) return std::unexpected(written.error());
    return entry;
}

Expected<bool> untrust_file(const std::filesystem::path& path) {
    auto entries = read_trust_store();
    if (!entries) return std::unexpected(entries.error());
    auto abs = absolute_path(path);
    size_t removed = std::erase_if(*entries, [&](const TrustEntry& e) { return e.path == abs; });
    if (removed == 0) return false;
    if (auto written = write_store(*entries); !written) return std::unexpected(written.error());
    return true;
}

CiriConfig merge_configs(const CiriConfig& user, const CiriConfig& repo) {
    CiriConfig c = user;
    c.path = repo.path.empty() ? user.path : repo.path;
    if (!repo.models.empty()) {
        c.models.clear();
        for (ModelConfig m : repo.models) {
            bool own = !m.base_url.empty() || !m.api_key_env.empty() ||
                       (parse_model_spec(m.spec) && !parse_model_spec(m.spec)->base_url.empty());
            auto mine = std::ranges::find_if(user.models, [&](const ModelConfig& u) {
                return model_name(u.spec) == model_name(m.spec);
            });
            if (!own && mine != user.models.end()) {
                // The user's definition of this model: where it lives and whose key it takes.
                double weight = m.weight;
                int line = m.line;
                auto keep = m;
                m = *mine;
                m.weight = weight, m.line = line;
                if (keep.max_in_flight) m.max_in_flight = keep.max_in_flight;
                if (keep.rpm) m.rpm = keep.rpm;
                if (keep.tpm) m.tpm = keep.tpm;
            }
            c.models.push_back(std::move(m));
        }
    }
    auto over = [](auto& mine, const auto& theirs) {
        if (theirs) mine = theirs;
    };
    // The paths the user's file gives relative to itself stay so once the merged
    // configuration's path is the repository's.
    for (auto* own : {&c.weights, &c.code})
        if (*own && !user.path.empty() && std::filesystem::path(**own).is_relative())
            *own = (user.path.parent_path() / **own).string();
    over(c.weights, repo.weights);
    over(c.samples, repo.samples);
    over(c.vote, repo.vote);
    over(c.threshold, repo.threshold);
    over(c.temperature, repo.temperature);
    over(c.prompt, repo.prompt);
    over(c.shots, repo.shots);
    over(c.code, repo.code);
    over(c.cache_dir, repo.cache_dir);
    over(c.shot_selection, repo.shot_selection);
    over(c.file_view, repo.file_view);
    over(c.valid_shots, repo.valid_shots);
    over(c.misconfig_shots, repo.misconfig_shots);
    if (!repo.include.empty()) c.include = repo.include;
    if (!repo.exclude.empty()) c.exclude = repo.exclude;
    // The repository's mappings and ignores are about its own files: they come first.
    c.systems = repo.systems;
    c.systems.insert(c.systems.end(), user.systems.begin(), user.systems.end());
    c.ignore = repo.ignore;
    c.ignore.insert(c.ignore.end(), user.ignore.begin(), user.ignore.end());
    if (repo.rules_set) {
        auto spec = c.rules.spec;
        c.rules = repo.rules;
        c.rules.spec.insert(c.rules.spec.begin(), spec.begin(), spec.end());
        c.rules_set = true;
    }
    if (!repo.fail_on.empty()) c.fail_on = repo.fail_on;
    // Facts and jobs describe the repository's files: its facts win key by key, its jobs come first.
    for (const auto& [key, value] : repo.context) c.context[key] = value;
    c.jobs = repo.jobs;
    c.jobs.insert(c.jobs.end(), user.jobs.begin(), user.jobs.end());
    return c;
}

CiriConfig load_effective_config(const std::optional<std::filesystem::path>& repo, bool read_user) {
    CiriConfig user;
    if (auto path = user_config_path(); read_user && !path.empty()) {
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) {
            auto loaded = load_ciri_config(path);
            if (!loaded) throw UserError(loaded.error().format());
            user = *loaded;
        }
    }
    if (!repo) return user;
    // Hash the bytes that are parsed, so an edit between the check and the read cannot slip in.
    auto text = read_bytes(*repo);
    if (!text) throw UserError(text.error().format());
    auto parsed = parse_ciri_config(*text, repo->string());
    if (!parsed) throw UserError(parsed.error().format());
    auto asks = privileged_settings(*parsed);
    if (!asks.empty() && !is_trusted(*repo, *text)) {
        auto entries = read_trust_store();
        bool changed = entries && std::ranges::any_of(*entries, [&](const TrustEntry& e) { return e.path == absolute_path(*repo); });
        std::string msg = std::string(changed ? "repository configuration changed since you trusted it; it"
                                              : "untrusted repository configuration") +
                          " asks for what only you may configure:";
        for (const auto& a : asks)
            msg += "\n  " + repo->string() + ":" + std::to_string(a.line) + ": '" + a.key + "' " + a.what;
        auto user_path = user_config_path();
        msg += "\n  move these to your own configuration (" +
               (user_path.empty() ? std::string("$XDG_CONFIG_HOME/ciri/config.yaml") : user_path.string()) +
               ") or to flags, or, once you have read the file and trust it: ciri trust " +
               absolute_path(*repo).string();
        throw UserError(msg);
    }
    return merge_configs(user, *parsed);
}

}  // namespace ciri
