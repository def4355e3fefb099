#include "prompts/code_index.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "base/atomic_file.hpp"
#include "base/sha256.hpp"

namespace ciri {

namespace fs = std::filesystem;

namespace {

constexpr int kFormatVersion = 2;  // 2: reads carry their guards
constexpr int kCheckWindow = 10;      // lines after a read searched for checks
constexpr size_t kSnippetLines = 12;  // most source lines kept per read
constexpr std::uintmax_t kMaxFileBytes = 4u << 20;

// ---- tokens -------------------------------------------------------------------------------

enum class Kind { ident, string, number, punct };

struct Token {
    Kind kind;
    std::string text;  // a string literal's value, decoded
    int line;
};

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// Cuts `text` into tokens of `lang`, dropping comments and keeping string literals' values.
class Lexer {
  public:
    Lexer(std::string_view text, std::string_view lang) : s_(text), lang_(lang) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == '\n') {
                ++line_, ++i_;
            } else if (std::isspace(static_cast<unsigned char>(c))) {
                ++i_;
            } else if (lang_ == "python" && c == '#') {
                skip_to_eol();
            } else if (lang_ != "python" && c == '/' && peek(1) == '/') {
                skip_to_eol();
            } else if (lang_ != "python" && c == '/' && peek(1) == '*') {
                i_ += 2;
                while (i_ < s_.size() && !(s_[i_] == '*' && peek(1) == '/')) step();
                i_ = std::min(s_.size(), i_ + 2);
            } else if (ident_start(c)) {
                size_t b = i_;
                while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
                std::string_view word = s_.substr(b, i_ - b);
                if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'') && string_prefix(word)) {
                    bool raw = word.find_first_of("rR") != std::string_view::npos;
                    if (lang_ == "c" && word.back() == 'R' && s_[i_] == '"') {
                        out.push_back(cpp_raw_string());
                    } else {
                        out.push_back(quoted(raw));
                    }
                } else {
                    out.push_back({Kind::ident, std::string(word), line_});
                }
            } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                       (c == '.' && std::isdigit(static_cast<unsigned char>(peek(1))))) {
                size_t b = i_;
                while (i_ < s_.size() && (ident_char(s_[i_]) || s_[i_] == '.')) ++i_;
                out.push_back({Kind::number, std::string(s_.substr(b, i_ - b)), line_});
            } else if (c == '"' || (c == '\'' && lang_ == "python")) {
                out.push_back(quoted(false));
            } else if (c == '`' && lang_ == "go") {
                int line = line_;
                size_t b = ++i_;
                while (i_ < s_.size() && s_[i_] != '`') step();
                out.push_back({Kind::string, std::string(s_.substr(b, i_ - b)), line});
                ++i_;
            } else if (c == '\'') {  // a character literal
                int line = line_;
                size_t b = i_++;
                while (i_ < s_.size() && s_[i_] != '\'' && s_[i_] != '\n') i_ += s_[i_] == '\\' ? 2 : 1;
                ++i_;
                out.push_back({Kind::number, std::string(s_.substr(b, std::min(i_, s_.size()) - b)), line});
            } else {
                static constexpr std::string_view kTwo[] = {"==", "!=", "<=", ">=", ":=", "->", "::", "&&",
                                                            "||", "+=", "-=", "*=", "/=", "<<", ">>"};
                std::string op(1, c);
                for (auto two : kTwo)
                    if (s_.substr(i_, 2) == two) op = std::string(two);
                i_ += op.size();
                out.push_back({Kind::punct, op, line_});
            }
        }
        return out;
    }

  private:
    char peek(size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
    void step() {
        if (s_[i_] == '\n') ++line_;
        ++i_;
    }
    void skip_to_eol() {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
    }
    bool string_prefix(std::string_view w) const {
        if (lang_ == "python") {
            std::string l;
            for (char c : w) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return l == "r" || l == "b" || l == "u" || l == "f" || l == "rb" || l == "br" || l == "fr" || l == "rf";
        }
        if (lang_ == "c") return w == "L" || w == "u" || w == "U" || w == "u8" || w == "R" || w == "LR" || w == "u8R";
        return false;
    }
    // A quoted literal at i_: '...' or "..." (Python also ''' and """, Java """ text blocks).
    Token quoted(bool raw) {
        int line = line_;
        char q = s_[i_];
        bool triple = (lang_ == "python" || lang_ == "java") && peek(1) == q && peek(2) == q;
        i_ += triple ? 3 : 1;
        std::string value;
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (triple ? (c == q && peek(1) == q && peek(2) == q) : c == q) {
                i_ += triple ? 3 : 1;
                break;
            }
            if (c == '\n' && !triple) break;  // unterminated: stop at the line's end
            if (c == '\\' && i_ + 1 < s_.size()) {
                char e = s_[i_ + 1];
                if (raw) {
                    value += c;
                    step();
                    value += s_[i_];
                    step();
                    continue;
                }
                value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
                i_ += 1;
                step();
                continue;
            }
            value += c;
            step();
        }
        return {Kind::string, value, line};
    }
    Token cpp_raw_string() {  // R"delim( ... )delim"
        int line = line_;
        size_t open = s_.find('(', i_);
        if (open == std::string_view::npos) return quoted(true);
        std::string close = ")" + std::string(s_.substr(i_ + 1, open - i_ - 1)) + "\"";
        size_t end = s_.find(close, open);
        if (end == std::string_view::npos) end = s_.size();
        std::string value(s_.substr(open + 1, end - open - 1));
        while (i_ < std::min(s_.size(), end + close.size())) step();
        return {Kind::string, value, line};
    }

    std::string_view s_;
    std::string_view lang_;
    size_t i_ = 0;
    int line_ = 1;
};

bool is(const Token& t, std::string_view p) { return t.kind == Kind::punct && t.text == p; }
bool is_word(const Token& t, std::string_view w) { return t.kind == Kind::ident && t.text == w; }

bool upper_name(std::string_view s) {
    bool letter = false;
    for (char c : s) {
        if (std::islower(static_cast<unsigned char>(c))) return false;
        letter |= std::isupper(static_cast<unsigned char>(c)) != 0;
    }
    return letter;
}

std::string lower(std::string_view s) {
    std::string out;
    for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// ---- constants ----------------------------------------------------------------------------

// A constant's value as written: literals and names of other constants, concatenated.
struct ConstDef {
    std::vector<std::pair<bool, std::string>> parts;  // (is a name, text)
};

using ConstTable = std::unordered_map<std::string, std::vector<ConstDef>>;

// Reads a key expression at tokens[i]: literals and (qualified) names joined by `+` or, in
// C, written next to each other. Returns the index past it, or `i` when there is none.
size_t key_expression(const std::vector<Token>& t, size_t i, ConstDef& def) {
    size_t j = i;
    while (j < t.size()) {
        if (t[j].kind == Kind::string) {
            def.parts.push_back({false, t[j].text});
            ++j;
        } else if (t[j].kind == Kind::ident) {
            size_t k = j;  // a.b.C or a::C: the last name counts
            while (k + 2 < t.size() && (is(t[k + 1], ".") || is(t[k + 1], "::")) && t[k + 2].kind == Kind::ident)
                k += 2;
            if (k + 1 < t.size() && (is(t[k + 1], "(") || is(t[k + 1], "["))) break;
            def.parts.push_back({true, t[k].text});
            j = k + 1;
        } else {
            break;
        }
        if (j < t.size() && is(t[j], "+")) {
            ++j;
        } else if (!(j < t.size() && t[j].kind == Kind::string && t[j].line == t[j - 1].line)) {
            break;
        }
    }
    if (def.parts.empty()) return i;
    return j;
}

bool ends_statement(const std::vector<Token>& t, size_t j, int line) {
    if (j >= t.size()) return true;
    return is(t[j], ";") || is(t[j], ",") || is(t[j], ")") || is(t[j], "}") || t[j].line != line;
}

// The constants one file defines.
void collect_constants(const std::vector<Token>& t, std::string_view lang, ConstTable& out) {
    int go_const_depth = -1, depth = 0;
    for (size_t i = 0; i < t.size(); ++i) {
        if (is(t[i], "(")) ++depth;
        if (is(t[i], ")") && --depth < go_const_depth) go_const_depth = -1;
        if (lang == "go" && is_word(t[i], "const") && i + 1 < t.size() && is(t[i + 1], "("))
            go_const_depth = depth + 1;
        // #define NAME "value"
        if (lang == "c" && is(t[i], "#") && i + 2 < t.size() && is_word(t[i + 1], "define") &&
            t[i + 2].kind == Kind::ident) {
            size_t v = i + 3;
            while (v < t.size() && is(t[v], "(") && t[v].line == t[i].line) ++v;
            ConstDef def;
            size_t end = key_expression(t, v, def);
            if (end > v && t[end - 1].line == t[i].line) out[t[i + 2].text].push_back(def);
            continue;
        }
        if (t[i].kind != Kind::ident || i + 1 >= t.size()) continue;
        size_t eq = i + 1;
        if (is(t[eq], "[") && eq + 1 < t.size() && is(t[eq + 1], "]")) eq += 2;  // char NAME[]
        if (lang == "go" && t[eq].kind == Kind::ident) ++eq;                      // NAME string =
        if (eq >= t.size() || !(is(t[eq], "=") || (lang == "go" && is(t[eq], ":=")))) continue;
        if (i > 0 && (is(t[i - 1], ".") || is(t[i - 1], "->"))) continue;  // obj.field = ...
        bool qualified = upper_name(t[i].text) || go_const_depth > 0;
        for (size_t b = i; b-- > 0 && !qualified;) {
            if (is(t[b], ";") || is(t[b], "{") || is(t[b], "}") || t[b].line != t[i].line) break;
            qualified = is_word(t[b], "final") || is_word(t[b], "const") || is_word(t[b], "constexpr");
        }
        if (!qualified) continue;
        ConstDef def;
        size_t end = key_expression(t, eq + 1, def);
        if (end == eq + 1 || !ends_statement(t, end, t[end - 1].line)) continue;
        bool has_literal = std::ranges::any_of(def.parts, [](const auto& p) { return !p.first; });
        bool single_name = def.parts.size() == 1 && def.parts[0].first;
        if (has_literal || single_name) out[t[i].text].push_back(def);
    }
}

// Resolves constants to their values, following names through the table; cycles and
// unknown names resolve to nothing.
class Resolver {
  public:
    // Names are looked up in `table`, then in `fallback` (the tree's, for a file's own table).
    explicit Resolver(const ConstTable& table, const ConstTable* fallback = nullptr)
        : table_(table), fallback_(fallback) {}

    std::vector<std::string> values(const ConstDef& def) {
        std::vector<std::string> acc{""};
        for (const auto& [name, text] : def.parts) {
            std::vector<std::string> options = name ? resolve(text) : std::vector<std::string>{text};
            if (options.empty()) return {};
            std::vector<std::string> next;
            for (const auto& a : acc)
                for (const auto& o : options)
                    if (next.size() < 4) next.push_back(a + o);
            acc = std::move(next);
        }
        return acc;
    }

    std::vector<std::string> resolve(const std::string& name) {
        if (auto it = memo_.find(name); it != memo_.end()) return it->second;
        auto it = table_.find(name);
        if (it == table_.end() && fallback_) {
            it = fallback_->find(name);
            if (it == fallback_->end()) return {};
        } else if (it == table_.end()) {
            return {};
        }
        if (active_.contains(name)) return {};
        active_.insert(name);
        std::vector<std::string> out;
        for (const ConstDef& d : it->second)
            for (auto& v : values(d))
                if (std::ranges::find(out, v) == out.end() && out.size() < 4) out.push_back(std::move(v));
        active_.erase(name);
        return memo_[name] = out;
    }

  private:
    const ConstTable& table_;
    const ConstTable* fallback_;
    std::unordered_map<std::string, std::vector<std::string>> memo_;
    std::set<std::string> active_;
};

// ---- readers and conversions --------------------------------------------------------------

// The conversion a reader's or parser's name implies ("" when it says nothing).
std::string conversion_of(std::string_view name) {
    std::string n = lower(name);
    if (size_t g = n.rfind("get"); g != std::string::npos && g > 0 && n[g - 1] == '_')
        n = n.substr(g);  // config_get, cfg_getint
    for (std::string_view p : {"get", "parse", "create", "lookup", "std::"})
        if (n.starts_with(p) && n.size() > p.size()) n = n.substr(p.size());
    for (std::string_view s : {"config", "varp", "var", "orempty", "ordefault"})
        if (n.ends_with(s) && n.size() > s.size()) n.resize(n.size() - s.size());
    if (n.size() > 1 && n.ends_with('p') && (n == "intp" || n == "stringp" || n == "boolp" || n == "durationp"))
        n.pop_back();
    static const std::map<std::string, std::string, std::less<>> kTable = {
        {"int", "int"}, {"integer", "int"}, {"int32", "int"}, {"short", "int"}, {"uint", "int"},
        {"uint32", "int"}, {"atoi", "int"}, {"stoi", "int"}, {"ints", "list"}, {"intslice", "list"},
        {"long", "long"}, {"int64", "long"}, {"uint64", "long"}, {"longlong", "long"}, {"atol", "long"},
        {"atoll", "long"}, {"strtol", "long"}, {"strtoll", "long"}, {"strtoul", "long"}, {"strtoull", "long"},
        {"stol", "long"}, {"stoul", "long"}, {"stoll", "long"}, {"ulong", "long"},
        {"float", "float"}, {"double", "float"}, {"float32", "float"}, {"float64", "float"}, {"atof", "float"},
        {"strtod", "float"}, {"strtof", "float"}, {"stod", "float"}, {"stof", "float"},
        {"bool", "bool"}, {"boolean", "bool"}, {"str2bool", "bool"}, {"strtobool", "bool"}, {"yesno", "bool"},
        {"duration", "duration"}, {"timeduration", "duration"},
        {"storagesize", "size"}, {"longbytes", "size"}, {"sizet", "size"}, {"memory", "size"}, {"bytes", "size"},
        {"strings", "list"}, {"trimmedstrings", "list"}, {"stringslice", "list"}, {"stringarray", "list"},
        {"stringcollection", "list"}, {"trimmedstringcollection", "list"}, {"list", "list"},
        {"enum", "enum"}, {"class", "class"}, {"classes", "class"}, {"classbyname", "class"},
        {"socketaddr", "address"}, {"password", "secret"}, {"file", "path"}, {"path", "path"},
        {"string", "string"}, {"trimmed", "string"}, {"raw", "string"}, {"env", "string"}, {"enviro", "string"},
        {"property", "string"}, {"str", "string"}, {"", "string"}, {"sds", "string"},
    };
    if (name == "get" || name == "Get") return "string";
    auto it = kTable.find(n);
    return it == kTable.end() ? "" : it->second;
}

// Functions that convert a string read from the configuration.
std::string converter(std::string_view callee) {
    std::string_view m = callee.substr(callee.find_last_of(".:") == std::string_view::npos
                                           ? 0
                                           : callee.find_last_of(".:") + 1);
    static const std::set<std::string, std::less<>> kNames = {
        "atoi", "atol", "atoll", "atof", "strtol", "strtoll", "strtoul", "strtoull", "strtod", "strtof",
        "stoi", "stol", "stoul", "stoll", "stod", "stof", "parseInt", "parseLong", "parseDouble", "parseFloat",
        "parseBoolean", "Atoi", "ParseInt", "ParseUint", "ParseFloat", "ParseBool", "ParseDuration",
        "int", "float", "bool", "str2bool", "strtobool", "parse_size", "parse_duration", "Duration"};
    if (kNames.contains(m)) {
        if (m == "ParseDuration" || m == "parse_duration") return "duration";
        if (m == "parse_size") return "size";
        if (m == "ParseInt" || m == "ParseUint") return "int";
        return conversion_of(m);
    }
    if (m == "valueOf" || m == "decode") {  // Integer.valueOf, Long.decode
        std::string_view recv = callee.substr(0, callee.size() - m.size());
        for (auto [cls, conv] : {std::pair{"Integer.", "int"}, {"Long.", "long"}, {"Boolean.", "bool"},
                                 {"Double.", "float"}, {"Float.", "float"}})
            if (recv.ends_with(cls)) return conv;
    }
    return "";
}

// Whether `callee` reads configuration; the last name is the method.
bool is_reader(std::string_view callee, std::string_view method, std::string_view lang) {
    static const std::set<std::string, std::less<>> kNotReaders = {
        "getLogger", "getMessage", "getBytes", "getResource", "getResourceAsStream", "getName",
        "getElementById", "getattr_static", "getMethod", "getDeclaredField", "getField"};
    if (kNotReaders.contains(method)) return false;
    if (method.starts_with("get") || method.starts_with("Get") || method == "LookupEnv" ||
        method == "secure_getenv" || method.find("_get") != std::string_view::npos)
        return true;
    if (lang == "python" && (method == "add_argument" || method == "add_option")) return true;
    if (lang == "c" && method.starts_with("create") && method.ends_with("Config")) return true;  // Redis
    if (lang == "go") {
        std::string_view recv = callee.substr(0, callee.size() - method.size());
        bool flags = recv == "flag." || recv == "pflag." || recv.ends_with("Flags().") ||
                     recv.ends_with("flags.") || recv.ends_with("fs.") || recv.ends_with("Flags.");
        static const std::set<std::string, std::less<>> kFlagKinds = {
            "Int", "Int32", "Int64", "Uint", "Uint32", "Uint64", "String", "Bool", "Duration", "Float32",
            "Float64", "StringSlice", "StringArray", "IntSlice"};
        std::string m(method);
        if (m.ends_with("P")) m.pop_back();
        if (m.ends_with("Var")) m.resize(m.size() - 3);
        return flags && kFlagKinds.contains(m);
    }
    return false;
}

// ---- reads --------------------------------------------------------------------------------

struct Arg {
    size_t begin, end;  // token range
};

// The arguments of the call whose '(' is at `open`; `close` gets the matching ')'.
std::vector<Arg> call_args(const std::vector<Token>& t, size_t open, size_t& close) {
    std::vector<Arg> args;
    int depth = 0;
    size_t b = open + 1;
    for (size_t j = open; j < t.size(); ++j) {
        if (is(t[j], "(") || is(t[j], "[") || is(t[j], "{")) ++depth;
        if (is(t[j], ")") || is(t[j], "]") || is(t[j], "}")) {
            if (--depth == 0) {
                if (j > b) args.push_back({b, j});
                close = j;
                return args;
            }
        }
        if (depth == 1 && is(t[j], ",")) {
            args.push_back({b, j});
            b = j + 1;
        }
    }
    close = t.size() - 1;
    return args;
}

std::string join_tokens(const std::vector<Token>& t, size_t b, size_t e) {
    std::string out;
    for (size_t j = b; j < e && out.size() < 80; ++j) {
        bool word = t[j].kind != Kind::punct;
        if (!out.empty() && word && j > b && t[j - 1].kind != Kind::punct) out += ' ';
        out += t[j].kind == Kind::string ? "\"" + t[j].text + "\"" : t[j].text;
    }
    return out;
}

// The callee ending at token `k` (an identifier): `a.b.c`, `std::getenv`, `self.conf.get`.
std::pair<std::string, size_t> callee_at(const std::vector<Token>& t, size_t k) {
    std::string name = t[k].text;
    size_t b = k;
    while (b >= 2 && (is(t[b - 1], ".") || is(t[b - 1], "::") || is(t[b - 1], "->")) &&
           (t[b - 2].kind == Kind::ident || is(t[b - 2], ")"))) {
        if (is(t[b - 2], ")")) {  // cmd.Flags().Int: keep the call's name, skip its arguments
            int depth = 0;
            size_t j = b - 2;
            for (; j > 0; --j) {
                if (is(t[j], ")")) ++depth;
                if (is(t[j], "(") && --depth == 0) break;
            }
            if (j == 0 || t[j - 1].kind != Kind::ident) break;
            name = t[j - 1].text + "()" + t[b - 1].text + name;
            b = j - 1;
        } else {
            name = t[b - 2].text + t[b - 1].text + name;
            b -= 2;
        }
    }
    return {name, b};
}

// Names assigned by the statement that holds token `at`: `int x = `, `n, err := `, `self.x = `.
std::vector<std::string> assigned_names(const std::vector<Token>& t, size_t at) {
    size_t j = at;
    int depth = 0;
    while (j > 0) {
        const Token& p = t[j - 1];
        if (is(p, ")") || is(p, "]")) ++depth;
        if (is(p, "(") || is(p, "[")) {
            if (depth == 0) {  // inside a call: only conversions may wrap the read
                if (j >= 2 && t[j - 2].kind == Kind::ident) {
                    j -= 2;
                    while (j >= 2 && (is(t[j - 1], ".") || is(t[j - 1], "::")) && t[j - 2].kind == Kind::ident) j -= 2;
                    continue;
                }
                return {};
            }
            --depth;
        }
        if (depth == 0 && (is(p, "=") || is(p, ":="))) break;
        if (depth == 0 && (is(p, ";") || is(p, "{") || is(p, "}") || is(p, ",") || is(p, "return") ||
                           p.kind == Kind::string || p.line < t[at].line - 1))
            return {};
        if (depth == 0 && p.kind == Kind::ident && (p.text == "return" || p.text == "if")) return {};
        --j;
    }
    if (j == 0) return {};
    size_t eq = j - 1;
    std::vector<std::string> names;
    std::string last;
    for (size_t k = eq; k-- > 0;) {
        const Token& p = t[k];
        if (is(p, ";") || is(p, "{") || is(p, "}") || is(p, "(") || p.line != t[eq].line) break;
        if (is(p, ",")) {
            if (!last.empty()) names.push_back(last);
            last.clear();
        } else if (p.kind == Kind::ident && last.empty()) {
            last = p.text;
        }
    }
    if (!last.empty()) names.push_back(last);
    return names;
}

bool check_word(const Token& tk) {
    if (tk.kind != Kind::ident) return false;
    static const std::set<std::string, std::less<>> kWords = {"if", "elif", "assert", "unless", "switch",
                                                              "max", "min", "clamp"};
    if (kWords.contains(tk.text)) return true;
    for (std::string_view p : {"check", "Check", "require", "Require", "validate", "Validate", "verify",
                               "Verify", "ensure", "Ensure", "assert", "Assert", "expect"})
        if (tk.text.starts_with(p)) return true;
    return false;
}

bool raises(const std::vector<const Token*>& line) {
    if (line.empty()) return false;
    const std::string& w = line[0]->text;
    return w == "throw" || w == "raise" || w == "panic" || w == "return" || w == "log" || w == "LOG" ||
           w == "exit" || w == "abort" || w == "fatal" || w == "die" || w.starts_with("serverLog") ||
           w.starts_with("log") || w.starts_with("Log") || w == "errors" || w == "fmt" || w == "sys";
}

std::string trimmed(std::string_view s) {
    size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return "";
    return std::string(s.substr(b, s.find_last_not_of(" \t\r") - b + 1));
}

// The reads in one file's tokens.
class ReadScanner {
  public:
    ReadScanner(const std::vector<Token>& t, std::string_view text, std::string_view lang, const std::string& file,
                Resolver& resolver)
        : t_(t), lang_(lang), file_(file), resolver_(resolver) {
        size_t b = 0;
        while (b <= text.size()) {
            size_t e = text.find('\n', b);
            if (e == std::string_view::npos) e = text.size();
            lines_.push_back(text.substr(b, e - b));
            b = e + 1;
        }
        by_line_.resize(lines_.size() + 2);
        for (const Token& tk : t_)
            if (tk.line >= 1 && tk.line <= static_cast<int>(lines_.size())) by_line_[tk.line].push_back(&tk);
    }

    std::vector<CodeRead> run() {
        std::vector<CodeRead> out;
        std::vector<std::string> calls;  // enclosing callees, innermost last
        std::vector<bool> is_call;
        for (size_t i = 0; i < t_.size(); ++i) {
            if (is(t_[i], "(")) {
                std::string callee;
                if (i > 0 && t_[i - 1].kind == Kind::ident) {
                    auto [name, b] = callee_at(t_, i - 1);
                    callee = name;
                    read_call(i, name, t_[i - 1].text, b, calls, out);
                }
                calls.push_back(callee);
            } else if (is(t_[i], ")")) {
                if (!calls.empty()) calls.pop_back();
            } else if (is(t_[i], "[") && lang_ != "java" && i > 0 && i + 2 < t_.size() &&
                       (t_[i - 1].kind == Kind::ident || is(t_[i - 1], ")") || is(t_[i - 1], "]")) &&
                       t_[i + 1].kind == Kind::string && is(t_[i + 2], "]")) {
                subscript_read(i, calls, out);
            }
        }
        add_guards(out);
        return out;
    }

  private:
    // Control dependencies. For each `if`, the lines of its condition and of its body (C, C++,
    // Java, Go: the braces after the condition; Python: the lines indented under it): a read
    // in the body is guarded by the keys read in the condition. By lines, as the rest of the
    // scanner: a lexical approximation.
    void add_guards(std::vector<CodeRead>& out) const {
        if (out.empty()) return;
        for (size_t i = 0; i < t_.size(); ++i) {
            if (!is_word(t_[i], "if")) continue;
            if (i > 0 && is_word(t_[i - 1], "else")) continue;  // an else-if's condition holds only when the if's fails
            int cond_from = t_[i].line, cond_to = cond_from, body_from = 0, body_to = 0;
            if (lang_ == "python") {
                size_t j = i + 1;
                int depth = 0;
                for (; j < t_.size(); ++j) {
                    if (is(t_[j], "(") || is(t_[j], "[") || is(t_[j], "{")) ++depth;
                    if (is(t_[j], ")") || is(t_[j], "]") || is(t_[j], "}")) --depth;
                    if (depth == 0 && is(t_[j], ":")) break;
                }
                if (j == t_.size()) continue;
                cond_to = t_[j].line;
                size_t indent = indent_of(cond_from);
                body_from = cond_to + 1;
                for (int l = body_from; l <= static_cast<int>(lines_.size()); ++l) {
                    if (trimmed(lines_[l - 1]).empty()) continue;
                    if (indent_of(l) <= indent) break;
                    body_to = l;
                }
                if (body_to == 0) continue;
            } else {
                // The condition runs to the `{` at depth 0 (Go has no parentheses around it).
                size_t j = i + 1;
                int depth = 0;
                for (; j < t_.size(); ++j) {
                    if (is(t_[j], "(") || is(t_[j], "[")) ++depth;
                    if (is(t_[j], ")") || is(t_[j], "]")) --depth;
                    if (depth == 0 && (is(t_[j], "{") || is(t_[j], ";"))) break;
                }
                if (j == t_.size() || !is(t_[j], "{")) continue;  // a body without braces: too unsure
                cond_to = t_[j].line;
                size_t k = j;
                for (int d = 0; k < t_.size(); ++k) {
                    if (is(t_[k], "{")) ++d;
                    if (is(t_[k], "}") && --d == 0) break;
                }
                if (k == t_.size()) continue;
                body_from = t_[j].line, body_to = t_[k].line;
            }
            std::vector<std::string> cond_keys;
            for (const auto& r : out)
                if (r.line >= cond_from && r.line <= cond_to && std::ranges::find(cond_keys, r.key) == cond_keys.end())
                    cond_keys.push_back(r.key);
            if (cond_keys.empty()) continue;
            for (auto& r : out) {
                if (r.line < body_from || r.line > body_to || (r.line >= cond_from && r.line <= cond_to)) continue;
                for (const auto& k : cond_keys)
                    if (k != r.key && std::ranges::find(r.guards, k) == r.guards.end()) r.guards.push_back(k);
            }
        }
    }

    size_t indent_of(int line) const {
        std::string_view s = lines_[line - 1];
        size_t b = s.find_first_not_of(" \t");
        return b == std::string_view::npos ? s.size() : b;
    }

    std::string enclosing_conversion(const std::vector<std::string>& calls) const {
        for (size_t k = calls.size(); k-- > 0;)
            if (auto c = converter(calls[k]); !c.empty()) return c;
        return "";
    }

    // The key values of one argument: a literal, or a constant's values.
    std::pair<std::vector<std::string>, std::string> key_of(const Arg& a) {
        if (a.end <= a.begin || is(t_[a.begin], "&")) return {};
        ConstDef def;
        size_t end = key_expression(t_, a.begin, def);
        if (end != a.end) return {};
        std::string constant;
        if (def.parts.size() == 1 && def.parts[0].first) constant = def.parts[0].second;
        return {resolver_.values(def), constant};
    }

    void read_call(size_t open, const std::string& callee, const std::string& method, size_t start,
                   const std::vector<std::string>& calls, std::vector<CodeRead>& out) {
        if (!is_reader(callee, method, lang_)) return;
        size_t close = open;
        auto args = call_args(t_, open, close);
        if (args.empty()) return;
        CodeRead r;
        r.call = callee;
        r.conversion = conversion_of(method);
        std::vector<std::string> keys;
        size_t key_arg = args.size();
        if (method == "add_argument" || method == "add_option") {
            for (size_t a = 0; a < args.size(); ++a) {
                const Token& tk = t_[args[a].begin];
                if (tk.kind == Kind::string && tk.text.starts_with('-') && args[a].end == args[a].begin + 1 &&
                    (keys.empty() || tk.text.starts_with("--")))
                    keys = {tk.text.substr(tk.text.find_first_not_of('-'))};
                if (tk.kind == Kind::ident && args[a].end > args[a].begin + 2 && is(t_[args[a].begin + 1], "=")) {
                    if (tk.text == "type") r.conversion = conversion_of(t_[args[a].begin + 2].text);
                    if (tk.text == "default") r.fallback = join_tokens(t_, args[a].begin + 2, args[a].end);
                    if (tk.text == "action" && t_[args[a].begin + 2].text.starts_with("store_t")) r.conversion = "bool";
                }
            }
            if (r.conversion.empty() || r.conversion == "string") r.conversion = r.conversion.empty() ? "string" : r.conversion;
        } else {
            // configparser's getint(section, option), getattr(obj, "NAME"): the key comes second.
            bool second = (lang_ == "python" && (method == "getint" || method == "getfloat" ||
                                                 method == "getboolean" || method == "getattr") &&
                           args.size() >= 2);
            for (size_t a = second ? 1 : 0; a < args.size() && keys.empty(); ++a) {
                auto [values, constant] = key_of(args[a]);
                if (values.empty()) {
                    // A handle first: C's config_get(cfg, KEY), Go's IntVar(&x, "name", ...).
                    bool handle = a == 0 && (lang_ == "c" || lang_ == "go") && args.size() >= 2;
                    if (!handle) break;
                    continue;
                }
                keys = std::move(values);
                r.constant = constant;
                key_arg = a;
            }
            // Redis's createIntConfig(name, alias, flags, min, max, ...): no default after the key.
            if (key_arg + 1 < args.size() && !method.starts_with("create"))
                r.fallback = join_tokens(t_, args[key_arg + 1].begin, args[key_arg + 1].end);
            if (method == "getattr") r.conversion = "";
        }
        if (keys.empty()) return;
        finish(r, keys, start, open, close, calls, out);
    }

    void subscript_read(size_t open, const std::vector<std::string>& calls, std::vector<CodeRead>& out) {
        size_t start = open - 1;
        std::string recv;
        if (t_[start].kind == Kind::ident) {
            auto [name, b] = callee_at(t_, start);
            recv = name, start = b;
        }
        CodeRead r;
        r.call = recv + "[]";
        r.conversion = "";
        finish(r, {t_[open + 1].text}, start, open, open + 2, calls, out);
    }

    // Conversion, checks and snippet lines, then one read per key.
    void finish(CodeRead r, const std::vector<std::string>& keys, size_t start, size_t open, size_t close,
                const std::vector<std::string>& calls, std::vector<CodeRead>& out) {
        if (auto c = enclosing_conversion(calls); !c.empty() && (r.conversion.empty() || r.conversion == "string"))
            r.conversion = c;
        r.file = file_;
        r.line = t_[start].line;
        std::vector<std::string> vars = assigned_names(t_, start);
        // The read's own line is a check when it sits in one: if (conf.getInt(K, 0) < 0).
        int last = t_[close].line;
        if (is_check_line(r.line, {})) r.checks.push_back({r.line, check_text(r.line)});
        int line = t_[close].line + 1;
        for (; line <= std::min<int>(r.line + kCheckWindow, lines_.size()) && !vars.empty(); ++line) {
            const auto& toks = by_line_[line];
            bool mentions = std::ranges::any_of(toks, [&](const Token* tk) {
                return tk->kind == Kind::ident && std::ranges::find(vars, tk->text) != vars.end();
            });
            if (!mentions) continue;
            // A conversion of the read value: n, err := strconv.Atoi(v).
            for (size_t k = 0; k + 2 < toks.size(); ++k) {
                if (toks[k]->kind != Kind::ident || !is(*toks[k + 1], "(")) continue;
                size_t ti = static_cast<size_t>(toks[k] - t_.data());
                std::string conv = converter(callee_at(t_, ti).first);
                if (conv.empty()) continue;
                bool of_var = std::any_of(toks.begin() + k + 2, toks.end(), [&](const Token* tk) {
                    return tk->kind == Kind::ident && std::ranges::find(vars, tk->text) != vars.end();
                });
                if (!of_var) continue;
                if (r.conversion.empty() || r.conversion == "string") r.conversion = conv;
                for (auto& n : assigned_names(t_, callee_at(t_, ti).second))
                    if (std::ranges::find(vars, n) == vars.end()) vars.push_back(n);
                last = line;
                break;
            }
            if (is_check_line(line, vars)) {
                r.checks.push_back({line, check_text(line)});
                last = std::max(last, line);
                if (follows_raise(line)) last = std::max(last, next_code_line(line));
            }
        }
        int from = r.line, to = std::min<int>(last, from + static_cast<int>(kSnippetLines) - 1);
        size_t indent = std::string::npos;
        for (int l = from; l <= to; ++l) {
            std::string_view s = lines_[l - 1];
            size_t b = s.find_first_not_of(" \t");
            if (b != std::string_view::npos) indent = std::min(indent, b);
        }
        for (int l = from; l <= to; ++l) {
            std::string_view s = lines_[l - 1];
            while (!s.empty() && s.back() == '\r') s.remove_suffix(1);
            r.lines.emplace_back(s.size() > indent ? s.substr(indent) : std::string_view{});
        }
        (void)open;
        for (const auto& k : keys) {
            if (k.empty() || k.size() > 200 || k.find('\n') != std::string::npos) continue;
            CodeRead copy = r;
            copy.key = k;
            out.push_back(std::move(copy));
        }
    }

    bool is_check_line(int line, const std::vector<std::string>& vars) const {
        const auto& toks = by_line_[line];
        bool word = std::ranges::any_of(toks, [](const Token* tk) { return check_word(*tk); });
        if (!word) return false;
        if (vars.empty()) return true;
        return std::ranges::any_of(toks, [&](const Token* tk) {
            return tk->kind == Kind::ident && std::ranges::find(vars, tk->text) != vars.end();
        });
    }

    int next_code_line(int line) const {
        for (int l = line + 1; l < static_cast<int>(by_line_.size()) && l <= line + 3; ++l)
            if (!by_line_[l].empty()) return l;
        return line;
    }

    // An `if` whose body is the next line and raises: `if (x < 0)` / `throw ...`.
    bool follows_raise(int line) const {
        const auto& toks = by_line_[line];
        if (toks.empty()) return false;
        const Token& end = *toks.back();
        if (!(is(end, "{") || is(end, ":") || is(end, ")"))) return false;
        int next = next_code_line(line);
        return next != line && raises(by_line_[next]);
    }

    std::string check_text(int line) const {
        std::string text = trimmed(lines_[line - 1]);
        if (follows_raise(line)) text += " " + trimmed(lines_[next_code_line(line) - 1]);
        return text.size() > 300 ? text.substr(0, 300) + "..." : text;
    }

    const std::vector<Token>& t_;
    std::string_view lang_;
    const std::string& file_;
    Resolver& resolver_;
    std::vector<std::string_view> lines_;
    std::vector<std::vector<const Token*>> by_line_;
};

std::string normalised(std::string_view key) {
    std::string out;
    for (char c : key) out += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string utc_now() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::int64_t mtime_of(const fs::directory_entry& e) {
    std::error_code ec;
    auto t = e.last_write_time(ec);
    if (ec) return 0;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// The source files under root, sorted, with their stamps.
std::vector<CodeFileStamp> walk_sources(const fs::path& root) {
    std::vector<CodeFileStamp> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        std::string name = p.filename().string();
        if (it->is_directory(ec)) {
            if (name.starts_with('.') || name == "node_modules" || name == "__pycache__") it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec) || code_language(p).empty()) continue;
        auto size = it->file_size(ec);
        if (ec || size > kMaxFileBytes) {
            ec.clear();
            continue;
        }
        out.push_back({p.lexically_relative(root).generic_string(), size, mtime_of(*it)});
    }
    std::ranges::sort(out, {}, &CodeFileStamp::file);
    return out;
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

std::vector<const CodeRead*> CodeIndex::find(std::string_view key) const {
    const std::vector<size_t>* hits = nullptr;
    if (auto it = by_key.find(key); it != by_key.end()) hits = &it->second;
    else if (auto n = by_norm.find(normalised(key)); n != by_norm.end()) hits = &n->second;
    std::vector<const CodeRead*> out;
    if (hits)
        for (size_t i : *hits) out.push_back(&reads[i]);
    return out;
}

void CodeIndex::build_lookup() {
    by_key.clear(), by_norm.clear();
    for (size_t i = 0; i < reads.size(); ++i) {
        by_key[reads[i].key].push_back(i);
        by_norm[normalised(reads[i].key)].push_back(i);
    }
}

std::string code_language(const fs::path& path) {
    std::string ext = lower(path.extension().string());
    if (ext == ".c" || ext == ".h" || ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".hpp" ||
        ext == ".hh" || ext == ".hxx")
        return "c";
    if (ext == ".java") return "java";
    if (ext == ".go") return "go";
    if (ext == ".py") return "python";
    return "";
}

std::vector<CodeRead> index_source_text(std::string_view text, std::string_view language, const std::string& file) {
    auto tokens = Lexer(text, language).run();
    ConstTable table;
    collect_constants(tokens, language, table);
    Resolver resolver(table);
    return ReadScanner(tokens, text, language, file, resolver).run();
}

Expected<CodeIndex> index_source_tree(const fs::path& root) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return std::unexpected(Error{"not a directory", 0, root.string()});
    CodeIndex index;
    index.root = fs::absolute(root).lexically_normal().string();
    if (index.root.size() > 1 && index.root.ends_with('/')) index.root.pop_back();
    index.created = utc_now();
    index.files = walk_sources(root);
    struct Scanned {
        std::string text, lang;
        std::vector<Token> tokens;
        ConstTable constants;
        std::vector<CodeRead> reads;
    };
    std::vector<Scanned> files(index.files.size());
    // Pass 1: tokens and constants of every file (in parallel; each file is its own).
    tbb::parallel_for(size_t(0), files.size(), [&](size_t i) {
        Scanned& s = files[i];
        s.text = read_all(root / index.files[i].file);
        s.lang = code_language(index.files[i].file);
        s.tokens = Lexer(s.text, s.lang).run();
        collect_constants(s.tokens, s.lang, s.constants);
    });
    // A file's own constants win over the tree's, which are merged in file order.
    ConstTable tree;
    for (const Scanned& s : files)
        for (const auto& [name, defs] : s.constants) tree[name].insert(tree[name].end(), defs.begin(), defs.end());
    // Pass 2: reads, each file resolving names through its own table, then the tree's.
    tbb::parallel_for(size_t(0), files.size(), [&](size_t i) {
        Scanned& s = files[i];
        Resolver resolver(s.constants, &tree);
        s.reads = ReadScanner(s.tokens, s.text, s.lang, index.files[i].file, resolver).run();
        s.tokens.clear(), s.text.clear();
    });
    for (Scanned& s : files)
        for (auto& r : s.reads) index.reads.push_back(std::move(r));
    index.build_lookup();
    return index;
}

std::vector<std::string> stale_files(const CodeIndex& index) {
    std::vector<std::string> out;
    auto now = walk_sources(index.root);
    size_t a = 0, b = 0;
    while (a < index.files.size() || b < now.size()) {
        if (b == now.size() || (a < index.files.size() && index.files[a].file < now[b].file)) {
            out.push_back(index.files[a++].file);
        } else if (a == index.files.size() || now[b].file < index.files[a].file) {
            out.push_back(now[b++].file);
        } else {
            if (index.files[a].size != now[b].size || index.files[a].mtime != now[b].mtime)
                out.push_back(now[b].file);
            ++a, ++b;
        }
    }
    return out;
}

Expected<void> write_code_index(const CodeIndex& index, const fs::path& path) {
    using nlohmann::json;
    json files = json::array(), reads = json::array();
    for (const auto& f : index.files) files.push_back({f.file, f.size, f.mtime});
    for (const auto& r : index.reads) {
        json checks = json::array();
        for (const auto& c : r.checks) checks.push_back({{"line", c.line}, {"text", c.text}});
        reads.push_back({{"key", r.key}, {"file", r.file}, {"line", r.line}, {"constant", r.constant},
                         {"call", r.call}, {"conversion", r.conversion}, {"default", r.fallback},
                         {"checks", checks}, {"lines", r.lines}, {"guards", r.guards}});
    }
    json doc = {{"ciri_code_index", kFormatVersion}, {"root", index.root}, {"created", index.created},
                {"files", files}, {"reads", reads}};
    return write_file_atomic(path, doc.dump(1, ' ', false, json::error_handler_t::replace) + "\n");
}

Expected<CodeIndex> read_code_index(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(Error{"cannot open code index", 0, path.string()});
    try {
        auto doc = nlohmann::json::parse(in);
        if (!doc.is_object() || doc.value("ciri_code_index", 0) != kFormatVersion)
            return std::unexpected(Error{"not a code index written by `ciri code index` (or another version's)", 0,
                                         path.string()});
        CodeIndex index;
        index.root = doc.at("root").get<std::string>();
        index.created = doc.at("created").get<std::string>();
        for (const auto& f : doc.at("files"))
            index.files.push_back({f.at(0).get<std::string>(), f.at(1).get<std::uintmax_t>(), f.at(2).get<std::int64_t>()});
        for (const auto& j : doc.at("reads")) {
            CodeRead r;
            r.key = j.at("key"), r.file = j.at("file"), r.line = j.at("line");
            r.constant = j.at("constant"), r.call = j.at("call"), r.conversion = j.at("conversion");
            r.fallback = j.at("default");
            for (const auto& c : j.at("checks")) r.checks.push_back({c.at("line"), c.at("text")});
            r.lines = j.at("lines").get<std::vector<std::string>>();
            r.guards = j.at("guards").get<std::vector<std::string>>();
            index.reads.push_back(std::move(r));
        }
        index.build_lookup();
        return index;
    } catch (const nlohmann::json::exception& e) {
        return std::unexpected(Error{std::string("malformed code index: ") + e.what(), 0, path.string()});
    }
}

fs::path default_code_cache(const fs::path& root) {
    fs::path base;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home) base = fs::path(home) / ".cache";
    else return {};
    std::string abs = fs::absolute(root).lexically_normal().string();
    if (abs.size() > 1 && abs.ends_with('/')) abs.pop_back();
    return base / "ciri" / "code" / (sha256_hex(abs).substr(0, 32) + ".json");
}

Expected<CodeIndex> load_code_index(const fs::path& path, std::vector<std::string>& notes) {
    std::error_code ec;
    fs::path cache;
    if (fs::is_directory(path, ec)) {
        cache = default_code_cache(path);
        if (cache.empty() || !fs::is_regular_file(cache, ec)) {
            auto index = index_source_tree(path);
            if (index)
                notes.push_back("code: indexed " + path.string() + " (" + std::to_string(index->files.size()) +
                                " files, " + std::to_string(index->reads.size()) +
                                " reads); `ciri code index " + path.string() + "` caches it");
            return index;
        }
    } else if (fs::is_regular_file(path, ec)) {
        cache = path;
    } else {
        return std::unexpected(Error{"no such source directory or code index", 0, path.string()});
    }
    auto index = read_code_index(cache);
    if (!index) return index;
    if (!fs::is_directory(index->root, ec))
        return std::unexpected(Error{"the tree it indexed, " + index->root + ", is gone", 0, cache.string()});
    auto stale = stale_files(*index);
    if (stale.empty()) return index;
    std::string which;
    for (size_t i = 0; i < stale.size() && i < 3; ++i) which += (i ? ", " : "") + stale[i];
    if (stale.size() > 3) which += ", ...";
    notes.push_back("code: the index " + cache.string() + " is stale (" + std::to_string(stale.size()) +
                    " files changed since " + index->created + ": " + which + "); indexed " + index->root +
                    " again for this run; `ciri code index " + index->root + "` updates it");
    return index_source_tree(index->root);
}

}  // namespace ciri
