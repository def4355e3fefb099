#include "ciri/rules/infer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

#include "parsers/text.hpp"

namespace ciri {

namespace {

bool in(std::string_view word, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

// Names decide by whole words only: a word inside a longer word says nothing (`account`
// is not a count, `report` not a port, `redir` not a directory).
bool is_port_word(std::string_view w) { return w == "port" || w == "ports"; }

Expectation make(ValueKind kind, double confidence, std::string basis, bool list = false, bool lenient = false,
                 bool count_like = false) {
    Expectation e;
    e.rule.kind = kind;
    e.rule.list = list;
    e.confidence = confidence;
    e.basis = std::move(basis);
    e.lenient = lenient;
    e.count_like = count_like;
    e.quantity = lenient || count_like;
    return e;
}

// The raw segments of a key (split at '.', '_' and '-', no camelCase split), for sibling
// matching, as views into `key`, into `out` (cleared first).
void segment_views(std::string_view key, std::vector<std::string_view>& out) {
    out.clear();
    size_t start = 0;
    for (size_t i = 0; i < key.size(); ++i)
        if (key[i] == '.' || key[i] == '_' || key[i] == '-') {
            out.push_back(key.substr(start, i - start));
            start = i + 1;
        }
    out.push_back(key.substr(start));
}

std::vector<std::string_view> segment_views(std::string_view key) {
    std::vector<std::string_view> out;
    segment_views(key, out);
    return out;
}

// `a` and `b` equal but for ASCII case, without copying either.
bool ascii_iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string first_sentence(std::string_view description) {
    std::string d = to_lower(collapse_whitespace(description));
    size_t end = d.find(". ");
    return end == std::string::npos ? d : d.substr(0, end);
}

bool describes_boolean(std::string_view description) {
    std::string s = first_sentence(description);
    for (std::string_view lead : {"whether", "if true", "if set to true", "set to true", "when true",
                                  "when set to true", "true if", "enable or disable", "true or false",
                                  "specifies whether", "determines whether", "indicates whether",
                                  "controls whether", "decides whether", "flag to", "boolean"}) {
        if (s.starts_with(lead)) return true;
    }
    std::string all = to_lower(description);
    return all.find("true or false") != std::string::npos || all.find("true/false") != std::string::npos;
}

bool describes_count(std::string_view description) {
    std::string s = first_sentence(description);
    for (std::string_view lead : {"the number of ", "number of ", "the maximum number of ", "maximum number of ",
                                  "the max number of ", "max number of ", "the minimum number of ",
                                  "how many "}) {
        if (s.starts_with(lead)) {
            std::string_view rest = std::string_view(s).substr(lead.size());
            for (std::string_view unit : {"bytes", "milliseconds", "seconds", "ms", "minutes", "hours", "kb", "mb"})
                if (rest.starts_with(unit)) return false;
            return true;
        }
    }
    return false;
}

std::optional<Expectation> from_name(const std::vector<std::string>& t, bool flat, std::string_view format) {
    if (t.empty()) return std::nullopt;
    const std::string& last = t.back();
    const std::string prev = t.size() > 1 ? t[t.size() - 2] : std::string();
    // A trailing qualifier names a bound of what the word before it counts.
    std::string noun = last;
    if (t.size() > 1 && in(last, {"max", "min", "maximum", "minimum", "limit", "default"})) noun = prev;

    if (in(last, {"enabled", "enable", "disabled", "disable"}))
        return make(ValueKind::boolean, 0.9, "name");
    // `pin_memory`, `use_cache`, `skip_checks`: a verb of switching before the noun makes a
    // flag, whatever the noun names; no type is guessed from the noun.
    if (t.size() >= 2 && in(prev, {"pin", "use", "enable", "disable", "allow", "is", "has", "skip", "force", "enforce",
                                   "keep"}))
        return std::nullopt;
    // Flat names (`USE_TZ`, `EMAIL_USE_TLS`, `enable_seqscan`) with a verb of switching are flags.
    if (flat && t.size() >= 2 &&
        std::any_of(t.begin(), t.end() - 1, [](const std::string& w) { return in(w, {"use", "enable", "disable", "is", "allow"}); }))
        return make(ValueKind::boolean, 0.8, "name");
    // `log_connections`, `track_counts`: flat names that start with a verb of observing are
    // switches or levels, whatever their last word says.
    if (flat && t.size() >= 2 && in(t.front(), {"log", "track", "debug", "trace", "print", "show"}))
        return std::nullopt;
    if (is_port_word(noun)) return make(ValueKind::port, 0.9, "name", noun == "ports");
    if (in(last, {"umask", "perm", "perms", "permission", "permissions"}) ||
        (last == "mode" && in(prev, {"umask", "perm", "permission", "permissions"})))
        return make(ValueKind::permission, 0.9, "name");
    if (in(last, {"host", "hostname", "ip", "addr", "address", "nameserver", "domain", "bindaddress", "hosts",
                  "addresses", "hostnames"}))
        return make(ValueKind::host, 0.85, "name", in(last, {"hosts", "addresses", "hostnames"}) || flat);
    if (in(last, {"url", "uri", "urls", "uris"})) return make(ValueKind::url, 0.85, "name", last.ends_with('s'));
    if (in(last, {"dir", "dirs", "directory", "directories", "path", "paths", "file", "files", "root", "home",
                  "folder", "keytab"}))
        return make(ValueKind::path, 0.8, "name", true);
    if (in(last, {"class", "classes", "classname", "impl"})) return make(ValueKind::class_name, 0.75, "name", true);

    // Numbers: strict integers for counts; lenient for sizes and times, whose spellings vary.
    if (in(noun, {"threads", "count", "retries", "attempts", "iterations", "workers", "connections",
                  "senders", "replicas", "replication", "tasks"}))
        return make(ValueKind::integer, 0.8, "name", false, false, true);
    if (in(noun, {"factor", "ratio", "rate", "fraction", "multiplier", "percent", "percentage", "probability"}))
        return make(ValueKind::number, 0.8, "name", false, true);
    if (in(noun, {"seconds", "secs", "sec", "ms", "millis", "msec", "msecs", "mins", "minutes", "hours", "days",
                  "timeout", "interval", "delay", "period", "ttl", "age", "time", "duration", "expiry", "wait",
                  "sleep", "backoff", "gap", "lifetime", "idle", "keepalive"}))
        return make(ValueKind::duration, 0.75, "name", false, true);
    if (in(noun, {"size", "bytes", "buffer", "buffers", "mem", "memory", "capacity"}))
        return make(ValueKind::size, 0.75, "name", false, true);
    if (noun == "threshold")
        return make(ValueKind::number, 0.75, "name", false, true);
    if (last == "limit") return make(ValueKind::number, 0.7, "name", false, true);
    // Flat names that bound or count something (`max_wal_senders`, `DATA_UPLOAD_MAX_NUMBER_FIELDS`).
    if (flat && t.size() >= 2 &&
        std::any_of(t.begin(), t.end(), [](const std::string& w) { return in(w, {"max", "min", "num", "number"}); })) {
        // Weaker than a noun: no sign check (some of these take negatives as ratios).
        Expectation e = make(ValueKind::number, 0.7, "name", false, true);
        e.quantity = false;
        return e;
    }
    (void)format;
    return std::nullopt;
}

// Ranges a description states outright.
void apply_description_bounds(Expectation& e, std::string_view description) {
    if (e.rule.kind != ValueKind::integer && e.rule.kind != ValueKind::number) return;
    std::string d = to_lower(description);
    bool negatives = d.find(" negative") != std::string::npos && d.find("non-negative") == std::string::npos;
    if (d.find("-1") != std::string::npos || negatives)
        return;
    if (d.find("non-negative") != std::string::npos) e.rule.min = 0;
    else if (d.find("positive, non-zero") != std::string::npos || d.find("positive integer") != std::string::npos)
        e.rule.min = 1;
}

}  // namespace

std::vector<std::string> name_tokens(std::string_view key) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (!cur.empty()) out.push_back(to_lower(cur));
        cur.clear();
    };
    for (size_t i = 0; i < key.size(); ++i) {
        char c = key[i];
        if (std::string_view("._- []/:").find(c) != std::string_view::npos) {
            flush();
            continue;
        }
        bool upper = std::isupper(static_cast<unsigned char>(c));
        if (upper && !cur.empty()) {
            char p = cur.back();
            bool prev_lower = std::islower(static_cast<unsigned char>(p)) || std::isdigit(static_cast<unsigned char>(p));
            bool next_lower = i + 1 < key.size() && std::islower(static_cast<unsigned char>(key[i + 1]));
            bool prev_upper = std::isupper(static_cast<unsigned char>(p));
            if (prev_lower || (prev_upper && next_lower)) flush();
        }
        cur += c;
    }
    flush();
    return out;
}

namespace {
constexpr std::string_view kEnumMarkers[] = {"possible values are", "valid values are", "valid options are",
                                             "supported values are", "allowed values are", "can be one of",
                                             "must be one of", "should be one of", "one of the following",
                                             "options are"};
bool has_enum_marker(std::string_view description) {
    std::string low = to_lower(description);
    for (auto m : kEnumMarkers)
        if (low.find(m) != std::string::npos) return true;
    return false;
}
}  // namespace

std::vector<std::string> description_enum(std::string_view description) {
    std::string d = collapse_whitespace(description);
    std::string low = to_lower(d);
    size_t at = std::string::npos, len = 0;
    for (std::string_view marker : kEnumMarkers) {
        size_t p = low.find(marker);
        if (p != std::string::npos && p < at) at = p, len = marker.size();
    }
    if (at == std::string::npos) return {};
    std::string_view rest = std::string_view(d).substr(at + len);
    while (!rest.empty() && (rest.front() == ':' || rest.front() == ' ')) rest.remove_prefix(1);
    // The list ends at the end of the sentence.
    size_t end = rest.size();
    for (size_t i = 0; i + 1 <= rest.size(); ++i) {
        if (rest[i] == '.' && (i + 1 == rest.size() || rest[i + 1] == ' ')) {
            end = i;
            break;
        }
        if (rest[i] == ';') {
            end = i;
            break;
        }
    }
    std::string list;
    int depth = 0;
    for (char c : rest.substr(0, end)) {
        if (c == '(') ++depth;
        else if (c == ')') depth = std::max(0, depth - 1);
        else if (depth == 0) list += c;
    }
    for (std::string_view sep : {" or ", " and ", " | ", "/"}) {
        for (size_t p = list.find(sep); p != std::string::npos; p = list.find(sep, p + 1)) list.replace(p, sep.size(), ",");
    }
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= list.size(); ++i) {
        if (i < list.size() && list[i] != ',') continue;
        std::string item(trim(std::string_view(list).substr(start, i - start)));
        start = i + 1;
        while (!item.empty() && (item.back() == '"' || item.back() == '\'' || item.back() == '`')) item.pop_back();
        while (!item.empty() && (item.front() == '"' || item.front() == '\'' || item.front() == '`')) item.erase(0, 1);
        if (item.empty()) continue;
        // Prose, not a list: give up rather than guess.
        if (item.find(' ') != std::string::npos) return {};
        for (char c : item)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-' && c != '$') return {};
        out.push_back(item);
    }
    if (out.size() < 2) return {};
    return out;
}

std::optional<Expectation> infer_from_name(const Parameter& param, std::string_view format) {
    auto tokens = name_tokens(param.key);
    bool flat = param.key.find('.') == std::string::npos;
    auto e = from_name(tokens, flat, format);
    if (e) {
        apply_description_bounds(*e, param.description);
        return e;
    }
    if (param.description.empty()) return std::nullopt;
    if (auto values = description_enum(param.description); !values.empty()) {
        Expectation x = make(ValueKind::enumeration, 0.7, "description");
        x.rule.enum_values = std::move(values);
        return x;
    }
    // A description that lists values we could not read is not a boolean's.
    if (has_enum_marker(param.description)) return std::nullopt;
    if (describes_boolean(param.description)) return make(ValueKind::boolean, 0.7, "description");
    if (describes_count(param.description)) {
        Expectation x = make(ValueKind::integer, 0.7, "description", false, true, true);
        apply_description_bounds(x, param.description);
        return x;
    }
    return std::nullopt;
}

namespace {
// Values a description lists outright beat having seen the parameter with free text.
std::optional<Expectation> listed_values(const Parameter& param) {
    auto values = description_enum(param.description);
    if (values.empty()) return std::nullopt;
    Expectation x = make(ValueKind::enumeration, 0.7, "description");
    x.rule.enum_values = std::move(values);
    return x;
}
}  // namespace

std::optional<Expectation> expect(const Parameter& param, const SpecSet& spec, std::string_view format) {
    const ParamSpec* row = spec.find(param.key);
    // A documented default that said nothing of the kind (free text, or no default at all)
    // leaves the parameter to its siblings, name and description.
    if (row && row->documented && (row->rule.kind == ValueKind::any || row->rule.kind == ValueKind::string))
        row = nullptr;
    if (row) {
        if (row->rule.kind == ValueKind::any) return std::nullopt;
        if (row->rule.kind == ValueKind::string) return row->seen > 0 ? listed_values(param) : std::nullopt;
        Expectation e;
        e.rule = row->rule;
        e.rule.case_sensitive = spec.case_sensitive;
        e.rule.bools_exact = e.rule.kind == ValueKind::boolean && spec.has(Constraint::Kind::bools_exact);
        e.rule.units = spec.units;
        for (const auto& s : spec.bool_spellings) e.rule.bool_spellings.push_back(s);
        e.confidence = row->seen == 0 ? 1.0 : 0.9;
        e.basis = row->documented ? "documented" : row->seen == 0 ? "spec" : "learned";
        // A learned number whose name says it is a quantity gets the name's sanity checks,
        // unless the row states its range: then the row is the authority (etcd's uint64
        // snapshot-count is no 32-bit count).
        bool numeric = e.rule.kind == ValueKind::integer || e.rule.kind == ValueKind::number ||
                       e.rule.kind == ValueKind::duration || e.rule.kind == ValueKind::size;
        if (numeric && row->seen > 0 && !row->rule.min && !row->rule.max) {
            if (auto byname = infer_from_name(param, format); byname && byname->quantity) {
                e.quantity = true;
                e.count_like = byname->count_like;
            }
        }
        return e;
    }
    // A sibling differs in one non-final word (`x.master.port` for `x.worker.port`).
    // Views, not copies: this runs for every parameter against every row.
    auto mine = segment_views(param.key);
    std::optional<ValueRule> sibling;
    bool conflict = false;
    std::vector<std::string_view> theirs;
    for (const auto& [name, row] : spec.params) {
        if (mine.size() < 3) break;
        if (row.documented && (row.rule.kind == ValueKind::any || row.rule.kind == ValueKind::string)) continue;
        segment_views(name, theirs);
        if (theirs.size() != mine.size()) continue;
        int diff = 0;
        size_t where = 0;
        for (size_t i = 0; i < mine.size(); ++i)
            if (!ascii_iequal(mine[i], theirs[i])) ++diff, where = i;
        if (diff != 1 || where + 1 == mine.size()) continue;
        if (sibling && (sibling->kind != row.rule.kind || sibling->list != row.rule.list)) conflict = true;
        if (!sibling) {
            sibling = ValueRule{};
            sibling->kind = row.rule.kind;
            sibling->list = row.rule.list;
        }
    }
    if (sibling && !conflict) {
        if (sibling->kind == ValueKind::any || sibling->kind == ValueKind::string) return listed_values(param);
        // Siblings share the kind, not the range: the number kinds stay lenient.
        Expectation e;
        e.rule = *sibling;
        e.rule.bool_spellings = spec.bool_spellings;
        e.confidence = 0.75;
        e.basis = "sibling";
        if (auto byname = infer_from_name(param, format); byname && byname->rule.kind == e.rule.kind) {
            e.lenient = byname->lenient;
            e.count_like = byname->count_like;
            e.quantity = byname->quantity;
            e.confidence = std::max(e.confidence, byname->confidence);
        } else if (e.rule.kind == ValueKind::integer || e.rule.kind == ValueKind::number ||
                   e.rule.kind == ValueKind::duration || e.rule.kind == ValueKind::size) {
            e.lenient = true;
            e.quantity = true;
        }
        return e;
    }
    if (conflict) return listed_values(param);
    auto e = infer_from_name(param, format);
    if (e) e->rule.bool_spellings = spec.bool_spellings;
    return e;
}

}  // namespace ciri
