#include "ciri/ciri_config.hpp"
#include "parsers/detect.hpp"
#include "parsers/reader.hpp"
#include "prompts/file_view.hpp"
#include "prompts/shot_selection.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace ciri {

namespace {

// Reading a typed YAML tree strictly: every key must be known, every value of the right shape.
struct Reader {
    std::string path;

    [[noreturn]] void bad(const YAML::Node& node, const std::string& what) const {
        throw Error{what, node.Mark().line + 1, path};
    }
    std::string str(const YAML::Node& n, const std::string& key) const {
        if (!n.IsScalar()) bad(n, "'" + key + "' must be a string");
        return n.Scalar();
    }
    template <class T>
    T num(const YAML::Node& n, const std::string& key) const {
        T v{};
        if (!n.IsScalar() || !YAML::convert<T>::decode(n, v)) bad(n, "'" + key + "' must be a number");
        return v;
    }
    bool boolean(const YAML::Node& n, const std::string& key) const {
        bool v{};
        if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) bad(n, "'" + key + "' must be true or false");
        return v;
    }
    // A string that must be one of `allowed` (a flag's fixed values): nothing else gets through.
    std::string choice(const YAML::Node& n, const std::string& key, const std::vector<std::string>& allowed) const {
        std::string list;
        for (size_t i = 0; i < allowed.size(); ++i)
            list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
        if (!n.IsScalar() || std::ranges::find(allowed, n.Scalar()) == allowed.end())
            bad(n, "'" + key + "' must be " + list);
        return n.Scalar();
    }
    int count(const YAML::Node& n, const std::string& key) const {
        int v = num<int>(n, key);
        if (v < 0) bad(n, "'" + key + "' must not be negative");
        return v;
    }
    std::vector<std::string> strings(const YAML::Node& n, const std::string& key) const {
        if (n.IsScalar()) return {n.Scalar()};
        if (!n.IsSequence()) bad(n, "'" + key + "' must be a list of strings");
        std::vector<std::string> out;
        for (const auto& item : n) out.push_back(str(item, key));
        return out;
    }
    // Calls the handler of each key; a key without one is an error naming the known keys.
    void fields(const YAML::Node& map, const std::string& where,
                const std::map<std::string, std::function<void(const YAML::Node&)>>& handlers) const {
        if (!map.IsMap()) bad(map, where + " must be a mapping");
        for (const auto& kv : map) {
            std::string key = kv.first.as<std::string>();
            auto it = handlers.find(key);
            if (it == handlers.end()) {
                std::string known;
                for (const auto& h : handlers) known += (known.empty() ? "" : ", ") + h.first;
                bad(kv.first, "unknown key '" + key + "' in " + where + " (known: " + known + ")");
            }
            it->second(kv.second);
        }
    }
};

ModelConfig read_model(const Reader& r, const YAML::Node& n) {
    ModelConfig m;
    m.line = m.spec_line = n.Mark().line + 1;
    if (n.IsScalar()) {
        m.spec = n.Scalar();
        return m;
    }
    r.fields(n, "a model", {
        {"spec", [&](auto& v) { m.spec = r.str(v, "spec"), m.spec_line = v.Mark().line + 1; }},
        {"base_url", [&](auto& v) { m.base_url = r.str(v, "base_url"), m.base_url_line = v.Mark().line + 1; }},
        {"api_key_env", [&](auto& v) { m.api_key_env = r.str(v, "api_key_env"), m.api_key_env_line = v.Mark().line + 1; }},
        {"weight", [&](auto& v) { m.weight = r.num<double>(v, "weight"); }},
        {"max_in_flight", [&](auto& v) { m.max_in_flight = r.num<int>(v, "max_in_flight"); }},
        {"rpm", [&](auto& v) { m.rpm = r.num<int>(v, "rpm"); }},
        {"tpm", [&](auto& v) { m.tpm = r.num<int>(v, "tpm"); }},
        {"prices", [&](auto& v) {
             r.fields(v, "prices", {
                 {"input", [&](auto& p) { m.price_input = r.num<double>(p, "input"); }},
                 {"cached_input", [&](auto& p) { m.price_cached_input = r.num<double>(p, "cached_input"); }},
                 {"output", [&](auto& p) { m.price_output = r.num<double>(p, "output"); }},
             });
         }},
    });
    if (m.spec.empty()) r.bad(n, "a model needs 'spec' (provider/model[@base_url])");
    if (m.weight < 0) r.bad(n, "'weight' must not be negative");
    return m;
}

}  // namespace

Expected<CiriConfig> parse_ciri_config(const std::string& text, const std::string& path_label) {
    CiriConfig c;
    c.path = path_label;
    Reader r{path_label};
    try {
        YAML::Node root = YAML::Load(text);
        if (!root || root.IsNull()) return c;  // an empty file configures nothing
        r.fields(root, "the top level", {
            {"models", [&](auto& v) {
                 if (!v.IsSequence()) r.bad(v, "'models' must be a list");
                 for (const auto& m : v) c.models.push_back(read_model(r, m));
             }},
            {"samples", [&](auto& v) {
                 c.samples = r.num<int>(v, "samples");
                 if (*c.samples < 1) r.bad(v, "'samples' must be at least 1");
             }},
            {"vote", [&](auto& v) {
                 c.vote = r.str(v, "vote");
                 if (*c.vote != "ciri" && *c.vote != "param" && *c.vote != "log-odds")
                     r.bad(v, "'vote' must be ciri, param or log-odds");
             }},
            {"threshold", [&](auto& v) { c.threshold = r.num<double>(v, "threshold"); }},
            {"weights", [&](auto& v) { c.weights = r.str(v, "weights"), c.lines["weights"] = v.Mark().line + 1; }},
            {"temperature", [&](auto& v) { c.temperature = r.num<double>(v, "temperature"); }},
            {"prompt", [&](auto& v) { c.prompt = r.str(v, "prompt"), c.lines["prompt"] = v.Mark().line + 1; }},
            {"shots", [&](auto& v) { c.shots = r.str(v, "shots"), c.lines["shots"] = v.Mark().line + 1; }},
            {"code", [&](auto& v) { c.code = r.str(v, "code"), c.lines["code"] = v.Mark().line + 1; }},
            {"shot_selection", [&](auto& v) { c.shot_selection = r.choice(v, "shot_selection", shot_strategies()); }},
            {"file_view", [&](auto& v) { c.file_view = r.choice(v, "file_view", file_view_names()); }},
            {"valid_shots", [&](auto& v) { c.valid_shots = r.count(v, "valid_shots"); }},
            {"misconfig_shots", [&](auto& v) { c.misconfig_shots = r.count(v, "misconfig_shots"); }},
            {"cache_dir", [&](auto& v) { c.cache_dir = r.str(v, "cache_dir"); }},
            {"include", [&](auto& v) { c.include = r.strings(v, "include"); }},
            {"exclude", [&](auto& v) { c.exclude = r.strings(v, "exclude"); }},
            {"systems", [&](auto& v) {
                 if (!v.IsSequence()) r.bad(v, "'systems' must be a list of {glob, system, version}");
                 for (const auto& item : v) {
                     SystemMapping m;
                     r.fields(item, "a systems entry", {
                         {"glob", [&](auto& x) { m.glob = r.str(x, "glob"); }},
                         {"system", [&](auto& x) { m.system = r.str(x, "system"); }},
                         {"version", [&](auto& x) { m.version = r.str(x, "version"); }},
                     });
                     if (m.glob.empty()) r.bad(item, "a systems entry needs 'glob'");
                     c.systems.push_back(m);
                 }
             }},
            {"ignore", [&](auto& v) {
                 if (!v.IsSequence()) r.bad(v, "'ignore' must be a list");
                 for (const auto& item : v) {
                     IgnoreEntry e;
                     if (item.IsScalar()) e.parameter = item.Scalar();
                     else
                         r.fields(item, "an ignore entry", {
                             {"parameter", [&](auto& x) { e.parameter = r.str(x, "parameter"); }},
                             {"glob", [&](auto& x) { e.glob = r.str(x, "glob"); }},
                             {"reason", [&](auto& x) { e.reason = r.str(x, "reason"); }},
                         });
                     if (e.parameter.empty()) r.bad(item, "an ignore entry needs 'parameter'");
                     c.ignore.push_back(e);
                 }
             }},
            {"rules", [&](auto& v) {
                 c.rules_set = true;
                 r.fields(v, "rules", {
                     {"enabled", [&](auto& x) { c.rules.enabled = r.boolean(x, "enabled"); }},
                     {"weight", [&](auto& x) { c.rules.weight = r.num<double>(x, "weight"); }},
                     {"decisive", [&](auto& x) { c.rules.decisive = r.boolean(x, "decisive"); }},
                     {"spec", [&](auto& x) { c.rules.spec = r.strings(x, "spec"), c.lines["rules.spec"] = x.Mark().line + 1; }},
                 });
             }},
            {"context", [&](auto& v) {
                 if (!v.IsMap()) r.bad(v, "'context' must be a map of KEY: VALUE");
                 for (const auto& kv : v) {
                     if (!kv.second.IsScalar()) r.bad(kv.second, "a context value must be a scalar");
                     c.context[kv.first.Scalar()] = kv.second.Scalar();
                 }
             }},
            {"jobs", [&](auto& v) {
                 if (!v.IsSequence()) r.bad(v, "'jobs' must be a list of lists of files");
                 for (const auto& job : v) {
                     auto files = r.strings(job, "a job");
                     if (files.size() < 2) r.bad(job, "a job lists two files or more");
                     c.jobs.push_back(std::move(files));
                 }
             }},
            {"fail_on", [&](auto& v) {
                 c.fail_on = r.strings(v, "fail_on");
                 for (const auto& f : c.fail_on)
                     if (f != "misconfigured" && f != "inconclusive" && f != "error")
                         r.bad(v, "'fail_on' takes misconfigured, inconclusive and error");
             }},
        });
    } catch (const Error& e) {
        return std::unexpected(e);
    } catch (const YAML::Exception& e) {
        return std::unexpected(Error{e.msg, e.mark.line + 1, path_label});
    }
    return c;
}

Expected<CiriConfig> load_ciri_config(const std::filesystem::path& path) {
    // Bounded, and only a regular file: a repository's .ciri.yaml can be a FIFO or /dev/zero.
    auto text = read_text_file(path);
    if (!text) return std::unexpected(Error{"cannot read ciri configuration: " + text.error().message, 0, path.string()});
    return parse_ciri_config(*text, path.string());
}

std::optional<std::filesystem::path> find_ciri_config(const std::filesystem::path& start) {
    std::error_code ec;
    auto dir = std::filesystem::absolute(start, ec);
    if (ec) return std::nullopt;
    for (;;) {
        // Any file of that name, a FIFO or a dangling link too: reading it then says what is
        // wrong with it, instead of running as if there were none.
        for (const char* name : {".ciri.yaml", ".ciri.yml"})
            if (std::filesystem::exists(std::filesystem::symlink_status(dir / name, ec))) return dir / name;
        if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
        dir = dir.parent_path();
    }
}

const SystemMapping* mapping_for(const std::vector<SystemMapping>& mappings, const std::string& path) {
    for (const auto& m : mappings)
        if (glob_match(m.glob, path) || glob_match("*/" + m.glob, path)) return &m;
    return nullptr;
}

}  // namespace ciri
