#include "ciri/backends/response_cache.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/sha256.hpp"

namespace ciri {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kFormat = 1;  // bump when the entry layout or the key recipe changes

}  // namespace

ResponseCache::ResponseCache(fs::path dir) : dir_(std::move(dir)) {}

fs::path ResponseCache::default_dir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "ciri";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".cache" / "ciri";
    return fs::path(".ciri-cache");
}

std::string ResponseCache::key(const ModelSpec& spec, const LlmRequest& req) {
    // nlohmann::json objects keep keys sorted, so dump() is canonical.
    json j = {{"format", kFormat},
              {"provider", spec.provider},
              {"model", spec.model},
              {"base_url", spec.base_url},
              {"samples", req.samples},
              {"temperature", req.temperature},
              {"max_tokens", req.max_tokens},
              {"stop", req.stop},
              {"json_mode", req.json_mode},
              {"system", req.prompt.system},
              {"prefix", req.prompt.prefix},
              {"body", req.prompt.body}};
    // Later rounds ask the same prompt again for fresh samples; they must not hit round 0's entry.
    if (req.round > 0) j["round"] = req.round;
    return sha256_hex(j.dump());
}

fs::path ResponseCache::path_of(const std::string& key) const {
    return dir_ / key.substr(0, 2) / (key + ".json");
}

std::optional<LlmResponse> ResponseCache::load(const std::string& key) const {
    std::ifstream in(path_of(key), std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = json::parse(ss.str(), nullptr, false);
    // A damaged entry (disk full, a foreign or hand-edited file) is a miss, overwritten by the
    // next store: every field is type-checked before it is read, so no entry can throw.
    auto is_count = [](const json& v) { return v.is_number_integer() && v.get<long long>() >= 0; };
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto format = j.find("format");
    if (format == j.end() || !format->is_number_integer() || format->get<long long>() != kFormat)
        return std::nullopt;
    auto samples = j.find("samples");
    if (samples == j.end() || !samples->is_array()) return std::nullopt;
    LlmResponse r;
    for (const auto& s : *samples) {
        if (!s.is_string()) return std::nullopt;
        r.samples.push_back(s.get<std::string>());
    }
    if (auto usage = j.find("usage"); usage != j.end()) {
        if (!usage->is_object()) return std::nullopt;
        for (auto [name, field] : {std::pair{"prompt", &r.usage.prompt}, std::pair{"completion", &r.usage.completion},
                                   std::pair{"cached_prompt", &r.usage.cached_prompt},
                                   std::pair{"cache_write", &r.usage.cache_write}}) {
            auto v = usage->find(name);
            if (v == usage->end()) continue;
            if (!is_count(*v)) return std::nullopt;
            *field = v->get<long>();
        }
    }
    r.cached = true;
    return r;
}

Expected<void> ResponseCache::store(const std::string& key, const LlmResponse& response) const {
    json j = {{"format", kFormat},
              {"samples", response.samples},
              {"usage",
               {{"prompt", response.usage.prompt},
                {"completion", response.usage.completion},
                {"cached_prompt", response.usage.cached_prompt},
                {"cache_write", response.usage.cache_write}}}};
    fs::path final_path = path_of(key);
    std::error_code ec;
    fs::create_directories(final_path.parent_path(), ec);
    if (ec)
        return fail("cannot create cache directory " + final_path.parent_path().string() + ": " +
                    ec.message());
    // Unique per process, thread and call, so concurrent writers never share a temp file.
    static std::atomic<unsigned long> counter{0};
    std::ostringstream tmp_name;
    tmp_name << "." << key << "." << ::getpid() << "."
             << std::hash<std::thread::id>{}(std::this_thread::get_id()) << "." << counter++
             << ".tmp";
    fs::path tmp = final_path.parent_path() / tmp_name.str();
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << j.dump();
        out.flush();
        if (!out) {
            fs::remove(tmp, ec);
            return fail("cannot write cache entry " + tmp.string());
        }
    }
    // rename() is atomic within a directory: a reader sees the old entry or the new one.
    if (std::rename(tmp.c_str(), final_path.c_str()) != 0) {
        std::string why = std::strerror(errno);
        fs::remove(tmp, ec);
        return fail("cannot store cache entry " + final_path.string() + ": " + why);
    }
    return {};
}

}  // namespace ciri
