#include "ciri/rules/learn.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "ciri/rules/infer.hpp"
#include "parsers/detect.hpp"
#include "parsers/load.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace fs = std::filesystem;

namespace {

bool all(const std::vector<std::string>& values, bool (*pred)(const std::string&)) {
    return !values.empty() && std::all_of(values.begin(), values.end(), pred);
}

bool word_bool(const std::string& v) { return is_bool_spelling(v) && !parse_number(v); }
bool python_bool(const std::string& v) { return v == "True" || v == "False"; }
bool integer(const std::string& v) { return parse_integer(v).has_value(); }
bool number(const std::string& v) { return parse_number(v).has_value(); }
bool duration(const std::string& v) {
    return parse_number(v) || (split_quantity(v) && is_duration_unit(split_quantity(v)->unit));
}
bool size(const std::string& v) { return parse_number(v) || (split_quantity(v) && is_size_unit(split_quantity(v)->unit)); }
bool has_unit(const std::string& v) { return split_quantity(v).has_value(); }
bool with_scheme(const std::string& v) { return v.find("://") != std::string::npos; }
bool host(const std::string& v) {
    ValueRule r;
    r.kind = ValueKind::host;
    return !check_value(v, r);
}
bool host_port(const std::string& v) {
    ValueRule r;
    r.kind = ValueKind::host_port;
    return v.find(':') != std::string::npos && !check_value(v, r);
}
bool path(const std::string& v) {
    return v.find(' ') == std::string::npos && (v.starts_with("/") || v.starts_with("./") || v.starts_with("~/") ||
                                                 (v.find('/') != std::string::npos && v.find("://") == std::string::npos));
}
bool class_name(const std::string& v) {
    if (!is_class_name(v)) return false;
    size_t dot = v.rfind('.');
    return dot + 1 < v.size() && std::isupper(static_cast<unsigned char>(v[dot + 1]));
}
bool octal_mode(const std::string& v) {
    return v.size() >= 3 && v.size() <= 4 && v[0] == '0' && is_permission(v);
}

// What the values (and the name, where values alone are ambiguous) say a parameter takes.
ValueRule learn_rule(const std::vector<std::string>& values, const Parameter& sample, std::string_view format,
                     std::vector<std::string>& bools_seen, bool force_list = false) {
    ValueRule r;
    auto hint = infer_from_name(sample, format);
    ValueKind h = hint ? hint->rule.kind : ValueKind::any;
    auto tokens = name_tokens(sample.key);
    bool list = (hint && hint->rule.list) || force_list;

    std::vector<std::string> items;
    for (const auto& v : values) {
        if (list || (v.size() >= 2 && v.front() == '[')) {
            for (auto& i : split_list(v)) items.push_back(i);
        } else {
            items.push_back(v);
        }
    }
    r.list = list;
    if (items.empty()) {
        r.kind = ValueKind::any;
        return r;
    }
    if (all(items, word_bool) || all(items, python_bool) ||
        (h == ValueKind::boolean && all(items, [](const std::string& v) { return v == "0" || v == "1"; }))) {
        for (const auto& v : items)
            if (std::find(bools_seen.begin(), bools_seen.end(), v) == bools_seen.end()) bools_seen.push_back(v);
        r.kind = ValueKind::boolean;
        return r;
    }
    if (h == ValueKind::port && all(items, integer)) {
        r.kind = ValueKind::port;
        for (const auto& v : items)
            if (*parse_integer(v) < 0) r.special.push_back(static_cast<double>(*parse_integer(v)));
        return r;
    }
    if ((h == ValueKind::permission || (!tokens.empty() && tokens.back() == "mode")) && all(items, octal_mode)) {
        r.kind = ValueKind::permission;
        return r;
    }
    if (h == ValueKind::permission && all(items, [](const std::string& v) { return is_permission(v); })) {
        r.kind = ValueKind::permission;
        return r;
    }
    if (all(items, integer) || all(items, number)) {
        bool ints = all(items, integer);
        if (h == ValueKind::duration || h == ValueKind::size) r.kind = h;
        else if (h == ValueKind::integer && ints) r.kind = ValueKind::integer;
        else if (h == ValueKind::number || !ints) r.kind = ValueKind::number;
        else r.kind = items.size() >= 2 ? ValueKind::integer : ValueKind::number;
        return r;
    }
    bool some_unit = std::any_of(items.begin(), items.end(), has_unit);
    if (some_unit && all(items, duration) && !(h == ValueKind::size && all(items, size))) {
        r.kind = ValueKind::duration;
        return r;
    }
    if (some_unit && all(items, size)) {
        r.kind = ValueKind::size;
        return r;
    }
    if (h == ValueKind::url || all(items, with_scheme)) {
        r.kind = ValueKind::url;
        r.scheme_required = h == ValueKind::url && all(items, with_scheme);
        return r;
    }
    if (all(items, host_port) && h != ValueKind::host) {
        r.kind = ValueKind::host_port;
        return r;
    }
    if (h == ValueKind::host && all(items, host)) {
        r.kind = ValueKind::host;
        return r;
    }
    if ((h == ValueKind::class_name && all(items, [](const std::string& v) { return is_class_name(v); })) ||
        all(items, class_name)) {
        r.kind = ValueKind::class_name;
        return r;
    }
    if (all(items, path)) {
        r.kind = ValueKind::path;
        return r;
    }
    // Comma-separated values of one kind are a list of it.
    bool commas = std::any_of(values.begin(), values.end(), [](const std::string& v) { return v.find(',') != std::string::npos; });
    if (!list && commas) {
        ValueRule as_list = learn_rule(values, sample, format, bools_seen, true);
        if (as_list.kind != ValueKind::string) return as_list;
    }
    r.kind = ValueKind::string;
    return r;
}

}  // namespace

std::string_view config_part(std::string_view text) {
    if (text.starts_with("Question:")) return {};
    size_t q = text.find("\nQuestion:");
    return q == std::string_view::npos ? text : text.substr(0, q + 1);
}

Expected<std::vector<ConfigFile>> load_valid_files(const std::vector<fs::path>& paths, std::string_view system,
                                                   std::string_view format) {
    std::vector<fs::path> files;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> found;
            for (auto it = fs::recursive_directory_iterator(p, ec); it != fs::recursive_directory_iterator(); ++it) {
                std::string name = it->path().filename().string();
                if (!name.empty() && name[0] == '.') {
                    if (it->is_directory()) it.disable_recursion_pending();
                    continue;
                }
                if (it->is_regular_file()) found.push_back(it->path());
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(p, ec)) {
            files.push_back(p);
        } else {
            return std::unexpected(Error{"no such file or directory", 0, p.string()});
        }
    }
    LoadOptions options;
    options.system = std::string(system);
    options.format = std::string(format);
    if (options.format.empty())
        if (const SystemInfo* info = find_system(system)) options.format = std::string(info->format);
    std::vector<ConfigFile> out;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) return std::unexpected(Error{"cannot read file", 0, f.string()});
        std::stringstream ss;
        ss << in.rdbuf();
        std::string text = ss.str();
        auto loaded = load_config_bytes(f.string(), std::string(config_part(text)), options);
        if (!loaded) return std::unexpected(loaded.error());
        out.push_back(std::move(*loaded));
    }
    return out;
}

SpecSet learn_spec(const std::vector<ConfigFile>& files, std::string_view system) {
    SpecSet set;
    set.system = std::string(system);
    struct Seen {
        const Parameter* sample = nullptr;
        std::string format;
        std::vector<std::string> values;  // judgeable values, unquoted
        std::map<std::string, int> counts;
    };
    std::map<std::string, Seen> seen;
    for (const auto& f : files) {
        for (const auto& p : f.params) {
            Seen& s = seen[p.key];
            if (!s.sample || (s.sample->description.empty() && !p.description.empty())) s.sample = &p;
            s.format = f.format;
            std::string v = unquote(p.value);
            if (trim(v).empty() || is_unjudgeable(v)) continue;
            s.values.push_back(std::string(trim(p.value).front() == '[' ? trim(p.value) : trim(v)));
            ++s.counts[s.values.back()];
        }
        if (!f.path.empty()) set.sources.push_back(f.path);
    }
    std::vector<std::string> bools;
    for (auto& [key, s] : seen) {
        ParamSpec row;
        row.name = key;
        row.rule = learn_rule(s.values, *s.sample, s.format, bools);
        if (row.rule.kind == ValueKind::any) continue;
        row.seen = static_cast<int>(s.values.size());
        // The most common value stands for the default; ties go to the first in name order.
        int best = 0;
        for (const auto& [v, n] : s.counts)
            if (n > best) best = n, row.default_value = v;
        set.params.emplace(key, std::move(row));
    }
    set.bool_spellings = bools;
    return set;
}

}  // namespace ciri
