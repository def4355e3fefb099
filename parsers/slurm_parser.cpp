// slurm.conf, gres.conf, cgroup.conf, topology.conf: lines of Key=Value pairs.
#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

// A line that starts with one of these describes one node, partition, switch...: its other
// pairs belong to that scope. `Name` scopes gres.conf lines.
constexpr std::string_view kScopeKeys[] = {"nodename",  "partitionname", "nodeset", "frontendname",
                                           "downnodes", "switchname",    "name"};

bool is_scope_key(std::string_view key) {
    std::string k = to_lower(key);
    for (std::string_view s : kScopeKeys)
        if (s == k) return true;
    return false;
}

/// The line up to its first `#` that is not escaped as `\#` (Slurm ignores quotes here).
std::string_view strip_comment(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i)
        if (s[i] == '#' && (i == 0 || s[i - 1] != '\\')) return s.substr(0, i);
    return s;
}

struct Pair {
    std::string key;
    std::string value;
};

/// Splits a logical line into Key=Value pairs (blanks around `=` allowed, "..." values kept
/// with their quotes).
Expected<std::vector<Pair>> split_pairs(std::string_view s, int line) {
    std::vector<Pair> pairs;
    size_t i = 0;
    for (;;) {
        while (i < s.size() && is_space(s[i])) ++i;
        if (i >= s.size()) break;
        size_t start = i;
        while (i < s.size() && !is_space(s[i]) && s[i] != '=') ++i;
        std::string key(s.substr(start, i - start));
        bool spaced = i < s.size() && is_space(s[i]);
        while (i < s.size() && is_space(s[i])) ++i;
        if (i >= s.size() || s[i] != '=' || key.empty()) {
            size_t end = start;
            while (end < s.size() && !is_space(s[end])) ++end;
            return fail(
                "expected Key=Value, got '" + std::string(s.substr(start, end - start)) + "'",
                line);
        }
        ++i;
        // `Key = Value` is one pair, but in `Key= Other=x` Key is empty.
        if (spaced)
            while (i < s.size() && is_space(s[i])) ++i;
        size_t vstart = i;
        if (i < s.size() && s[i] == '"') {
            size_t close = s.find('"', i + 1);
            if (close == std::string_view::npos) return fail("unterminated quote", line);
            i = close + 1;
        }
        while (i < s.size() && !is_space(s[i])) ++i;
        pairs.push_back({std::move(key), std::string(s.substr(vstart, i - vstart))});
    }
    return pairs;
}

}  // namespace

/// Parses Slurm configuration files: whitespace-separated `Key=Value` pairs, `#` comments
/// (`\#` is a literal #), backslash at the end of a line continues it (line = the first line).
/// Values are kept as written, quotes included; `Key=` has value "". Keys keep their case
/// (Slurm ignores it). A line whose first key scopes it (NodeName, PartitionName, NodeSet,
/// FrontendName, DownNodes, SwitchName, or gres.conf's Name) gets section
/// "<Key>=<Value>", e.g. "NodeName=gpu[01-04]"; on a NodeName line of gres.conf a Name pair
/// joins the scope ("NodeName=gpu[01-04] Name=gpu"). The scoping pairs are recorded as
/// themselves (key "NodeName") and the other pairs as "<section>.<Key>". `include FILE` lines
/// give key "include" and are not followed. A word without `=` is an Error with its line.
Expected<std::vector<Parameter>> parse_slurm(std::string_view text, const ParseLimits& limits) {
    std::vector<Parameter> params;
    std::vector<Line> lines = split_lines(text);
    for (size_t i = 0; i < lines.size(); ++i) {
        int line = lines[i].number;
        std::string logical(strip_comment(lines[i].text));
        while (!logical.empty() && logical.back() == '\\' && i + 1 < lines.size()) {
            logical.pop_back();
            logical += strip_comment(lines[++i].text);
        }
        std::string_view s = trim(logical);
        if (s.empty()) continue;

        if (to_lower(s.substr(0, 7)) == "include" && s.size() > 7 && is_space(s[7])) {
            params.push_back(
                {std::string(s.substr(0, 7)), std::string(trim(s.substr(8))), line, {}, {}});
        } else {
            auto pairs = split_pairs(s, line);
            if (!pairs) return std::unexpected(pairs.error());
            std::string section;
            std::vector<bool> in_scope(pairs->size(), false);
            if (!pairs->empty() && is_scope_key((*pairs)[0].key)) {
                in_scope[0] = true;
                section = (*pairs)[0].key + "=" + (*pairs)[0].value;
                if (to_lower((*pairs)[0].key) == "nodename")
                    for (size_t k = 1; k < pairs->size(); ++k)
                        if (to_lower((*pairs)[k].key) == "name") {
                            in_scope[k] = true;
                            section += " " + (*pairs)[k].key + "=" + (*pairs)[k].value;
                            break;
                        }
            }
            for (size_t k = 0; k < pairs->size(); ++k) {
                Pair& p = (*pairs)[k];
                std::string key = in_scope[k] || section.empty() ? p.key : section + "." + p.key;
                params.push_back({std::move(key), std::move(p.value), line, {}, section});
            }
        }
        if (params.size() > limits.max_params)
            return fail("more than " + std::to_string(limits.max_params) + " parameters", line);
    }
    return params;
}

}  // namespace ciri
