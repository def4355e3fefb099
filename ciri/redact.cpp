#include "ciri/redact.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <unordered_map>

#include "parsers/text.hpp"

// Plain scanning only: every pass here is linear in its input, because the input is a
// repository's file (a std::regex recursed once per character and crashed on long values).

namespace ciri {

namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Splits a key into lower-case words at separators and camelCase humps.
std::vector<std::string> words_of(std::string_view key) {
    std::vector<std::string> words;
    std::string cur;
    for (size_t i = 0; i < key.size(); ++i) {
        char c = key[i];
        bool sep = !is_alnum(c);
        bool hump = is_upper(c) && i > 0 && (is_lower(key[i - 1]) || is_digit(key[i - 1]));
        if ((sep || hump) && !cur.empty()) words.push_back(std::move(cur)), cur.clear();
        if (!sep) cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!cur.empty()) words.push_back(cur);
    return words;
}

bool is_reference(std::string_view v) {
    // ${VAR}, $VAR, %(name)s and env lookups point at a secret; they are not one.
    return v.starts_with("${") || (v.size() > 1 && v[0] == '$' && (is_upper(v[1]) || v[1] == '_' || v[1] == '{')) ||
           v.find("os.environ") != std::string_view::npos || v.find("getenv") != std::string_view::npos ||
           v.find("%(") != std::string_view::npos || v.starts_with("{{") || v.starts_with("ENC(") ||
           v.starts_with("vault:") || v.starts_with("secretref:");
}

bool is_path_like(std::string_view v) {
    static constexpr std::array<std::string_view, 10> exts = {".pem", ".key", ".crt", ".p12", ".jks",
                                                              ".keytab", ".txt", ".json", ".pfx", ".cer"};
    if (v.starts_with("/") || v.starts_with("./") || v.starts_with("~/") || v.starts_with("file:") ||
        v.starts_with("classpath:"))
        return true;
    for (auto e : exts)
        if (v.ends_with(e)) return true;
    return false;
}

// Values a secret-named setting takes when it is a switch or unset, not a secret.
bool is_non_secret_literal(std::string_view v) {
    std::string l = to_lower(v);
    return l == "true" || l == "false" || l == "yes" || l == "no" || l == "on" || l == "off" || l == "none" ||
           l == "null" || l == "nil" || l == "~" || l == "\"\"" || l == "''";
}

double entropy(std::string_view s) {
    std::array<int, 256> freq{};
    for (unsigned char c : s) ++freq[c];
    double h = 0;
    for (int f : freq)
        if (f) {
            double p = static_cast<double>(f) / s.size();
            h -= p * std::log2(p);
        }
    return h;
}

bool is_token_char(char c) {
    return is_alnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-' || c == '.' || c == '~';
}

// Class names and host names (org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider) are
// dotted identifiers: parts that start with a letter.
bool is_dotted_identifier(std::string_view v) {
    if (v.find('.') == std::string_view::npos) return false;
    size_t start = 0;
    for (;;) {
        size_t dot = v.find('.', start);
        std::string_view part = v.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (part.empty() || !(std::isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_' || part[0] == '$'))
            return false;
        for (char c : part)
            if (!is_alnum(c) && c != '_' && c != '$' && c != '-') return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

// Tokens whose issuer gives them a fixed prefix (and a random body of at least 16 characters).
bool has_token_prefix(std::string_view v) {
    static constexpr std::array<std::string_view, 24> prefixes = {
        "sk-", "sk_live_", "sk_test_", "rk_live_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
        "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxs-", "xapp-", "hf_", "npm_", "AIza", "SG.", "dop_v1_",
        "shpat_", "pypi-", "sq0atp-"};
    for (auto p : prefixes)
        if (v.starts_with(p) && v.size() >= p.size() + 16) {
            int digits = 0;
            for (char c : v.substr(p.size())) digits += is_digit(c);
            // A body of words (sk-learn-...) is a name; issued tokens carry digits.
            if (digits > 0) return true;
        }
    // AWS access key ids: AKIA/ASIA and 16 upper-case letters or digits.
    if ((v.starts_with("AKIA") || v.starts_with("ASIA")) && v.size() >= 20) {
        std::string_view body = v.substr(4, 16);
        return std::ranges::all_of(body, [](char c) { return is_upper(c) || is_digit(c); });
    }
    return false;
}

// Names that say what kind of non-secret value they hold: an id, a type, an algorithm...
// Under them a random-looking value is an identifier; only issued tokens and JWTs count.
bool is_descriptive_name(std::string_view key) {
    static constexpr std::array<std::string_view, 24> kinds = {
        "id", "ids", "name", "type", "algorithm", "class", "mode", "format", "version", "image", "model",
        "digest", "checksum", "hash", "sha", "revision", "commit", "uuid", "subnet", "vpc", "region", "zone",
        "arn", "impl"};
    auto words = words_of(key);
    return !words.empty() && std::ranges::find(kinds, words.back()) != kinds.end();
}

// One word that is a secret by its shape: a JWT, an issued token, or (unless `issued_only`)
// a long random string.
bool token_shape(std::string_view v, bool issued_only = false) {
    if (v.size() < 16) return false;
    if (std::ranges::any_of(v, [](char c) { return !is_token_char(c); })) return false;
    if (has_token_prefix(v)) return true;
    // A JWT: header "eyJ" ({"), two dots.
    if (v.starts_with("eyJ") && std::ranges::count(v, '.') == 2 && v.size() >= 30) return true;
    if (issued_only || v.size() < 20 || is_path_like(v) || is_dotted_identifier(v)) return false;
    // Base64 writes + and /, its URL-safe form - and _; a value with both kinds is names
    // joined by separators (HuggingFaceH4/ultrachat_200k), not one encoded token.
    bool std64 = v.find_first_of("+/") != std::string_view::npos, url64 = v.find_first_of("-_") != std::string_view::npos;
    if (std64 && url64) return false;
    // Checksums say what they are (sha256-..., sha512:...); they are public.
    for (std::string_view h : {"sha1", "sha256", "sha384", "sha512", "md5"})
        if (v.starts_with(h) && v.size() > h.size() && (v[h.size()] == '-' || v[h.size()] == ':')) return false;
    // Random tokens mix lower, upper and digits in one long run; identifiers, model ids
    // (meta-llama/Llama-2-70b-hf), UUIDs and hex hashes are short runs of one or two kinds.
    size_t best = 0, start = 0;
    for (size_t i = 0; i <= v.size(); ++i)
        if (i == v.size() || v[i] == '-' || v[i] == '_' || v[i] == '.') {
            std::string_view run = v.substr(start, i - start);
            bool lower = std::ranges::any_of(run, is_lower), upper = std::ranges::any_of(run, is_upper),
                 digit = std::ranges::any_of(run, is_digit);
            if (lower && upper && digit && run.size() > best && entropy(run) >= 3.5) best = run.size();
            start = i + 1;
        }
    return best >= 16;
}

// The end of a value written after `name=` inside a larger value: the closing quote, or the
// first separator.
size_t value_end(std::string_view v, size_t from, char quote) {
    if (quote) {
        size_t close = v.find(quote, from);
        return close == std::string_view::npos ? v.size() : close;
    }
    size_t i = from;
    while (i < v.size() && !is_space(v[i]) && v[i] != ';' && v[i] != '&' && v[i] != ',' && v[i] != '}' &&
           v[i] != ')' && v[i] != '"' && v[i] != '\'')
        ++i;
    return i;
}

void add(std::vector<std::string>& out, std::string_view s) {
    if (s.empty() || is_reference(s)) return;
    if (std::ranges::find(out, s) == out.end()) out.emplace_back(s);
}

// URL parts: the password of user:password@, a token used as the user, secret query
// parameters, and token-shaped path segments (webhooks: hooks.slack.com/services/T/B/TOKEN).
void scan_urls(std::string_view v, std::vector<std::string>& out) {
    for (size_t at = v.find("://"); at != std::string_view::npos; at = v.find("://", at + 3)) {
        // A URL runs to a space or quote; commas may be in its user name (ldaps://cn=a,dc=b:pw@host).
        size_t end = at + 3;
        while (end < v.size() && !is_space(v[end]) && v[end] != '"' && v[end] != '\'' && v[end] != '>' && v[end] != '<')
            ++end;
        std::string_view rest = v.substr(at + 3, end - at - 3);
        size_t auth_end = rest.find_first_of("/?#");
        std::string_view authority = rest.substr(0, auth_end);
        if (size_t amp = authority.rfind('@'); amp != std::string_view::npos) {
            std::string_view userinfo = authority.substr(0, amp);
            if (size_t colon = userinfo.find(':'); colon != std::string_view::npos)
                add(out, userinfo.substr(colon + 1));
            else if (token_shape(userinfo))
                add(out, userinfo);
        }
        if (auth_end == std::string_view::npos) continue;
        std::string_view tail = rest.substr(auth_end);
        std::string host = to_lower(authority);
        bool hook = host.find("hook") != std::string::npos || to_lower(tail).find("hook") != std::string::npos;
        size_t query = tail.find('?');
        std::string_view path = tail.substr(0, query);
        for (size_t s = 0; s < path.size();) {
            size_t e = path.find('/', s + 1);
            if (e == std::string_view::npos) e = path.size();
            std::string_view seg = path.substr(s + 1, e - s - 1);
            // bot<id>:<token> (Telegram): the part after the colon is the token.
            if (size_t colon = seg.rfind(':'); colon != std::string_view::npos) seg = seg.substr(colon + 1);
            bool alnum = !seg.empty() && std::ranges::all_of(seg, [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
            if (token_shape(seg) || (hook && alnum && seg.size() >= 16 && std::ranges::any_of(seg, is_digit) &&
                                     std::ranges::any_of(seg, [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })))
                add(out, seg);
            s = e;
        }
        if (query == std::string_view::npos) continue;
        std::string_view q = tail.substr(query + 1);
        for (size_t s = 0; s <= q.size();) {
            size_t e = q.find_first_of("&#", s);
            if (e == std::string_view::npos) e = q.size();
            std::string_view pair = q.substr(s, e - s);
            if (size_t eq = pair.find('='); eq != std::string_view::npos) {
                std::string name = to_lower(pair.substr(0, eq));
                std::string_view value = pair.substr(eq + 1);
                if (is_secret_name(name) || name == "sig" || name == "signature" || name == "key" ||
                    name == "x-amz-signature" || name == "x-amz-security-token" || token_shape(value))
                    add(out, value);
            }
            s = e + 1;
        }
    }
}

// `name=value` and `'name': 'value'` inside a value: connection strings (primary_conninfo,
// JDBC and ADO URLs), JAAS lines, dict and JSON literals.
void scan_pairs(std::string_view v, std::vector<std::string>& out) {
    for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] != '=' && v[i] != ':') continue;
        if (v[i] == ':' && v.substr(i).starts_with("://")) continue;
        // The name just before, perhaps quoted.
        size_t e = i;
        while (e > 0 && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
        if (e > 0 && (v[e - 1] == '\'' || v[e - 1] == '"')) --e;
        size_t s = e;
        while (s > 0 && (is_alnum(v[s - 1]) || v[s - 1] == '_' || v[s - 1] == '-' || v[s - 1] == '.')) --s;
        if (s == e || !is_secret_name(v.substr(s, e - s))) continue;
        size_t b = i + 1;
        while (b < v.size() && (v[b] == ' ' || v[b] == '\t')) ++b;
        char quote = b < v.size() && (v[b] == '\'' || v[b] == '"') ? v[b] : 0;
        if (quote) ++b;
        size_t end = value_end(v, b, quote);
        std::string_view value = v.substr(b, end - b);
        if (!is_non_secret_literal(value)) add(out, value);
        i = end > i ? end - 1 : i;
    }
}

// Words of a free-form value: `Bearer TOKEN`, a redis ACL `>password`, issued tokens.
void scan_words(std::string_view key, std::string_view v, std::vector<std::string>& out) {
    auto kw = words_of(key);
    bool acl = !kw.empty() && kw.back() == "user";
    bool descriptive = is_descriptive_name(key);
    // Public keys and certificates are long base64 on purpose.
    bool public_material = v.find("-----BEGIN CERTIFICATE") != std::string_view::npos ||
                           v.find("PUBLIC KEY-----") != std::string_view::npos || v.starts_with("ssh-") ||
                           v.starts_with("ecdsa-sha2");
    std::string_view prev, last_word;
    // A short directive whose word names a secret (`auth-pass mymaster PW`): the last word is it.
    bool named = false;
    int count = 0;
    for (size_t i = 0; i < v.size();) {
        while (i < v.size() && (is_space(v[i]) || v[i] == '"' || v[i] == '\'' || v[i] == ',' || v[i] == '[' ||
                                v[i] == ']' || v[i] == '(' || v[i] == ')' || v[i] == '{' || v[i] == '}'))
            ++i;
        size_t j = i;
        while (j < v.size() && !is_space(v[j]) && v[j] != '"' && v[j] != '\'' && v[j] != ',' && v[j] != ']' &&
               v[j] != ')' && v[j] != '}')
            ++j;
        if (j == i) break;
        std::string_view word = v.substr(i, j - i);
        std::string p = to_lower(prev);
        if ((p == "bearer" || p == "basic") && word.size() >= 8) add(out, word);
        else if (acl && (word[0] == '>' || word[0] == '<') && word.size() > 1) add(out, word.substr(1));
        else if (!public_material && token_shape(word, descriptive)) add(out, word);
        if (!last_word.empty() && is_secret_name(prev)) named = true;
        prev = last_word = word;
        ++count;
        i = j;
    }
    if (named && count <= 4 && !is_secret_name(last_word) && !is_path_like(last_word)) add(out, last_word);
}

}  // namespace

bool is_secret_name(std::string_view key) {
    // The last word names what the value is: `db.password` holds one, `PASSWORD_RESET_TIMEOUT`
    // and `AUTH_PASSWORD_VALIDATORS` only talk about passwords.
    auto words = words_of(key);
    if (words.empty()) return false;
    const std::string& last = words.back();
    const std::string prev = words.size() > 1 ? words[words.size() - 2] : "";
    const std::string prev2 = words.size() > 2 ? words[words.size() - 3] : "";
    if (last == "token") {
        // An etcd initial-cluster-token names the cluster; tokenizer settings (pad_token,
        // eos_token) name vocabulary entries.
        static constexpr std::array<std::string_view, 16> not_secret = {
            "cluster", "pad", "eos", "bos", "unk", "sep", "cls", "mask", "special", "start",
            "end", "stop", "eot", "image", "begin", "placeholder"};
        return std::ranges::find(not_secret, prev) == not_secret.end();
    }
    static constexpr std::array<std::string_view, 15> secret_words = {
        "password", "passwd", "pwd", "pass", "passphrase", "secret", "credential", "credentials",
        "apikey", "requirepass", "masterauth", "secretkey", "accesskey", "privatekey", "bearer"};
    if (std::ranges::find(secret_words, last) != secret_words.end()) return true;
    // Glued words: keypassword, truststorepassword, authtoken, clientsecret.
    for (std::string_view tail : {"password", "passwd", "secret", "token", "apikey", "passphrase"})
        if (last.ends_with(tail)) return true;
    if (last == "cookie") return prev == "erlang";
    // "key" is a secret only as an api/access/secret/private/signing... key.
    if (last == "key") {
        static constexpr std::array<std::string_view, 17> kinds = {
            "api", "access", "private", "signing", "secret", "encryption", "auth", "master", "license",
            "hmac", "app", "account", "shared", "subscription", "consumer", "jwt", "storage"};
        return std::ranges::find(kinds, prev) != kinds.end();
    }
    // AWS_ACCESS_KEY_ID, Rails' secret_key_base.
    if (last == "id" && prev == "key" && prev2 == "access") return true;
    if (last == "base" && prev == "key" && prev2 == "secret") return true;
    return false;
}

std::vector<std::string> find_secrets(std::string_view key, std::string_view value) {
    std::vector<std::string> out;
    std::string_view v = strip_quotes(trim(value));
    if (v.empty() || is_reference(v)) return out;
    if (v.find("PRIVATE KEY-----") != std::string_view::npos && v.find("-----BEGIN") != std::string_view::npos) {
        add(out, v);
        return out;
    }
    if (!key.empty() && is_secret_name(key) && !is_path_like(v) && !is_non_secret_literal(v)) {
        add(out, v);
        return out;
    }
    if (token_shape(v, is_descriptive_name(key))) {
        add(out, v);
        return out;
    }
    scan_urls(v, out);
    scan_pairs(v, out);
    scan_words(key, v, out);
    // A secret inside another keeps only the outer one.
    std::vector<std::string> outer;
    for (const auto& s : out)
        if (std::ranges::none_of(out, [&](const std::string& o) { return o.size() > s.size() && o.find(s) != std::string::npos; }))
            outer.push_back(s);
    return outer;
}

bool looks_like_secret(std::string_view value) { return !find_secrets("", value).empty(); }

std::vector<SecretParam> find_file_secrets(const ConfigFile& file) {
    std::vector<SecretParam> out;
    for (size_t i = 0; i < file.params.size(); ++i) {
        auto secrets = find_secrets(file.params[i].key, file.params[i].value);
        if (!secrets.empty()) out.push_back({i, std::move(secrets)});
    }
    return out;
}

void mark_secrets(FileResult& result, const ConfigFile& file) {
    for (const auto& sp : find_file_secrets(file)) {
        result.secret_params.emplace_back(file.params[sp.index].key, file.params[sp.index].line);
        result.secrets.insert(result.secrets.end(), sp.secrets.begin(), sp.secrets.end());
    }
}

namespace {

// The text with escapes undone, each decoded byte remembering the raw bytes it came from:
// XML entities, backslash escapes (JSON \u, YAML \x \U, \n \t, \"), backslash-newline
// continuations (.properties, TOML, YAML double quotes) and YAML's '' are undone, so a
// secret spelled with them is found where the file spells it.
struct DecodedView {
    std::string text;
    std::vector<uint32_t> from, to;  // raw [from, to) of each decoded byte

    void emit(std::string_view bytes, size_t raw_from, size_t raw_to) {
        for (char c : bytes) {
            text += c;
            from.push_back(static_cast<uint32_t>(raw_from));
            to.push_back(static_cast<uint32_t>(raw_to));
        }
    }
};

int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Reads `n` hex digits at `at`; -1 when they are not all there.
long read_hex(std::string_view t, size_t at, size_t n) {
    if (at + n > t.size()) return -1;
    long v = 0;
    for (size_t k = 0; k < n; ++k) {
        int h = hex_value(t[at + k]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

DecodedView decode_escapes(std::string_view t) {
    DecodedView d;
    d.text.reserve(t.size());
    d.from.reserve(t.size());
    d.to.reserve(t.size());
    std::string utf8;
    for (size_t i = 0; i < t.size();) {
        char c = t[i];
        if (c == '&') {
            size_t semi = t.find(';', i + 1);
            if (semi != std::string_view::npos && semi - i <= 10) {
                std::string_view name = t.substr(i + 1, semi - i - 1);
                long cp = -1;
                if (name == "amp") cp = '&';
                else if (name == "lt") cp = '<';
                else if (name == "gt") cp = '>';
                else if (name == "quot") cp = '"';
                else if (name == "apos") cp = '\'';
                else if (name.starts_with("#x") || name.starts_with("#X")) cp = read_hex(name, 2, name.size() - 2);
                else if (name.starts_with("#") && name.size() > 1 && std::ranges::all_of(name.substr(1), is_digit))
                    cp = std::stol(std::string(name.substr(1, 7)));
                if (cp > 0 && cp <= 0x10FFFF) {
                    utf8.clear();
                    append_utf8(utf8, static_cast<uint32_t>(cp));
                    d.emit(utf8, i, semi + 1);
                    i = semi + 1;
                    continue;
                }
            }
        } else if (c == '\\' && i + 1 < t.size()) {
            char n = t[i + 1];
            if (n == '\n' || (n == '\r' && i + 2 < t.size() && t[i + 2] == '\n')) {
                size_t j = i + (n == '\n' ? 2 : 3);
                while (j < t.size() && (t[j] == ' ' || t[j] == '\t')) ++j;
                i = j;  // a continuation: the value goes on after the indentation
                continue;
            }
            long cp = -1;
            size_t len = 0;
            if (n == 'u') cp = read_hex(t, i + 2, 4), len = 6;
            else if (n == 'U') cp = read_hex(t, i + 2, 8), len = 10;
            else if (n == 'x') cp = read_hex(t, i + 2, 2), len = 4;
            if (n == 'u' && cp >= 0xD800 && cp < 0xDC00 && t.substr(i + 6).starts_with("\\u")) {
                long low = read_hex(t, i + 8, 4);
                if (low >= 0xDC00 && low < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00), len = 12;
            }
            if (cp >= 0 && cp <= 0x10FFFF) {
                utf8.clear();
                append_utf8(utf8, static_cast<uint32_t>(cp));
                d.emit(utf8, i, i + len);
                i += len;
                continue;
            }
            static constexpr std::string_view named = "ntrbf0", meant = "\n\t\r\b\f\0";
            if (size_t k = named.find(n); k != std::string_view::npos) {
                d.emit(std::string_view(&meant[k], 1), i, i + 2);
                i += 2;
                continue;
            }
            if (!is_alnum(n) && n > ' ') {
                d.emit(std::string_view(&t[i + 1], 1), i, i + 2);
                i += 2;
                continue;
            }
        } else if (c == '\'' && i + 1 < t.size() && t[i + 1] == '\'') {
            d.emit("'", i, i + 2);
            i += 2;
            continue;
        }
        d.emit(std::string_view(&t[i], 1), i, i + 1);
        ++i;
    }
    return d;
}

// Aho-Corasick: every occurrence of many patterns in one pass over the text.
class PatternSet {
public:
    explicit PatternSet(const std::vector<std::string>& patterns) {
        nodes_.emplace_back();
        for (size_t p = 0; p < patterns.size(); ++p) {
            int n = 0;
            for (unsigned char c : patterns[p]) {
                auto it = nodes_[n].next.find(c);
                if (it == nodes_[n].next.end()) {
                    nodes_.emplace_back();
                    it = nodes_[n].next.emplace(c, static_cast<int>(nodes_.size() - 1)).first;
                }
                n = it->second;
            }
            nodes_[n].pattern = static_cast<int>(p);
            nodes_[n].depth = patterns[p].size();
        }
        // Breadth first: fail links, and the nearest pattern along them.
        std::vector<int> queue;
        for (auto& [c, child] : nodes_[0].next) queue.push_back(child);
        for (size_t q = 0; q < queue.size(); ++q) {
            int n = queue[q];
            for (auto& [c, child] : nodes_[n].next) {
                int f = nodes_[n].fail;
                while (f && !nodes_[f].next.contains(c)) f = nodes_[f].fail;
                auto it = nodes_[f].next.find(c);
                nodes_[child].fail = it != nodes_[f].next.end() && it->second != child ? it->second : 0;
                int fl = nodes_[child].fail;
                nodes_[child].output = nodes_[fl].pattern >= 0 ? fl : nodes_[fl].output;
                queue.push_back(child);
            }
        }
    }

    /// Calls `found(end, pattern)` for every occurrence, `end` one past its last byte.
    template <class F>
    void scan(std::string_view text, F found) const {
        int n = 0;
        for (size_t i = 0; i < text.size(); ++i) {
            unsigned char c = static_cast<unsigned char>(text[i]);
            while (n && !nodes_[n].next.contains(c)) n = nodes_[n].fail;
            if (auto it = nodes_[n].next.find(c); it != nodes_[n].next.end()) n = it->second;
            for (int o = nodes_[n].pattern >= 0 ? n : nodes_[n].output; o > 0; o = nodes_[o].output)
                found(i + 1, static_cast<size_t>(nodes_[o].pattern));
        }
    }

private:
    struct Node {
        std::unordered_map<unsigned char, int> next;
        int fail = 0;
        int pattern = -1;  // the pattern ending here
        int output = 0;    // the next node along fail links where a pattern ends (0 = none)
        size_t depth = 0;
    };
    std::vector<Node> nodes_;
};

// Where each secret's owners are, to decide which occurrences to replace.
struct Owner {
    int first_line = 0, last_line = 0;  // the lines of the parameter
    int near_line = 0;                  // a short secret is replaced up to here (a value may follow its key)
    size_t key_end = 0;                 // raw offset after the key on its first line; values start later
};

// [start, end) of a byte range in the raw text, and the secret it hides.
struct Span {
    size_t start, end;
    size_t secret;
};

// Private key blocks, which may span lines no parameter covers completely.
void add_key_blocks(std::string_view t, std::vector<Span>& spans, size_t id) {
    for (size_t at = t.find("-----BEGIN "); at != std::string_view::npos; at = t.find("-----BEGIN ", at + 1)) {
        size_t head_end = t.find("-----", at + 11);
        if (head_end == std::string_view::npos) return;
        std::string_view head = t.substr(at, head_end - at);
        if (head.find("PRIVATE KEY") == std::string_view::npos || head.find('\n') != std::string_view::npos) continue;
        size_t end = t.find("-----END ", head_end);
        if (end == std::string_view::npos) end = t.size();
        else if (size_t close = t.find("-----", end + 9); close != std::string_view::npos) end = close + 5;
        spans.push_back({at, end, id});
        at = end - 1;
    }
}

}  // namespace

ConfigFile redact(const ConfigFile& file, int* count) {
    ConfigFile out = file;
    auto found = find_file_secrets(file);
    // One placeholder per distinct secret, numbered in file order.
    std::vector<std::string> secrets;
    std::map<std::string, size_t> id_of;
    std::vector<std::vector<Owner>> owners;
    auto lines = split_lines(file.text);
    std::vector<size_t> line_start(lines.size() + 2, file.text.size());
    for (size_t k = 0; k < lines.size(); ++k) line_start[lines[k].number] = lines[k].text.data() - file.text.data();
    std::vector<int> param_lines;
    for (const auto& p : file.params) param_lines.push_back(p.line);
    std::ranges::sort(param_lines);
    int last_text_line = lines.empty() ? 0 : lines.back().number;
    for (const auto& sp : found) {
        const Parameter& p = file.params[sp.index];
        Owner o;
        o.first_line = p.line;
        // A parameter's lines run to the next parameter's; the last one's to a few lines on.
        auto next = std::ranges::upper_bound(param_lines, p.line);
        o.last_line = next == param_lines.end() ? std::min(last_text_line, p.line + 20) : std::max(p.line, *next - 1);
        o.near_line = std::max(o.last_line, std::min(last_text_line, p.line + 2));
        if (p.line >= 1 && static_cast<size_t>(p.line) <= lines.size()) {
            std::string_view line = std::string_view(file.text).substr(line_start[p.line]);
            line = line.substr(0, line.find('\n'));
            auto words = words_of(p.key);
            std::string lower = to_lower(line);
            size_t at = words.empty() ? std::string::npos : lower.find(words.back());
            o.key_end = line_start[p.line] + (at == std::string::npos ? 0 : at + words.back().size());
            if (at == std::string::npos) o.key_end = line_start[p.line];
        }
        for (const auto& s : sp.secrets) {
            auto [it, fresh] = id_of.emplace(s, secrets.size());
            if (fresh) secrets.push_back(s), owners.emplace_back();
            owners[it->second].push_back(o);
        }
    }
    auto placeholder = [](size_t id) { return "<redacted-" + std::to_string(id + 1) + ">"; };

    // Parameters: each secret part of a value becomes its placeholder, longest first.
    for (const auto& sp : found) {
        std::string& value = out.params[sp.index].value;
        auto parts = sp.secrets;
        std::ranges::sort(parts, std::greater<>{}, &std::string::size);
        for (const auto& s : parts)
            for (size_t at = 0; (at = value.find(s, at)) != std::string::npos;) {
                std::string ph = placeholder(id_of[s]);
                value.replace(at, s.size(), ph);
                at += ph.size();
            }
    }

    // Text: every occurrence in the raw and in the decoded spelling, in one pass each.
    std::vector<Span> spans;
    auto line_of = [&](size_t offset) {
        return static_cast<int>(std::ranges::upper_bound(line_start.begin() + 1, line_start.begin() + 1 + lines.size(), offset) -
                                (line_start.begin() + 1));
    };
    auto keep = [&](size_t start, size_t end, size_t id) {
        int line = line_of(start);
        bool anywhere = secrets[id].size() >= 6;
        for (const auto& o : owners[id]) {
            if (line == o.first_line && start < o.key_end) return;  // never the key itself
            if (line >= o.first_line && line <= o.near_line) anywhere = true;
        }
        if (anywhere) spans.push_back({start, end, id});
    };
    if (!secrets.empty()) {
        PatternSet set(secrets);
        set.scan(file.text, [&](size_t end, size_t id) { keep(end - secrets[id].size(), end, id); });
        if (file.text.find_first_of("\\&'") != std::string::npos) {
            DecodedView d = decode_escapes(file.text);
            set.scan(d.text, [&](size_t end, size_t id) {
                size_t s = end - secrets[id].size();
                keep(d.from[s], d.to[end - 1], id);  // a raw occurrence found twice merges below
            });
        }
    }
    // A secret the text spells in a way not undone above: mask its parameter's lines whole.
    std::vector<std::vector<int>> seen_on(secrets.size());
    for (const auto& sp : spans) seen_on[sp.secret].push_back(line_of(sp.start));
    for (size_t id = 0; id < secrets.size(); ++id) {
        std::ranges::sort(seen_on[id]);
        for (const auto& o : owners[id]) {
            if (o.first_line < 1 || static_cast<size_t>(o.first_line) > lines.size()) continue;
            auto at = std::ranges::lower_bound(seen_on[id], o.first_line);
            if (at != seen_on[id].end() && *at <= o.near_line) continue;
            for (int l = o.first_line; l <= o.last_line && static_cast<size_t>(l) <= lines.size(); ++l) {
                size_t s = line_start[l], e = s + lines[l - 1].text.size();
                if (l == o.first_line) s = std::max(s, o.key_end);
                while (s < e && (file.text[s] == ' ' || file.text[s] == '\t')) ++s;
                if (s < e) spans.push_back({s, e, id});
            }
        }
    }
    size_t key_block = secrets.size();
    add_key_blocks(file.text, spans, key_block);

    // Rebuild once: overlapping spans merge and take the first one's placeholder.
    std::ranges::sort(spans, [](const Span& a, const Span& b) { return a.start != b.start ? a.start < b.start : a.end > b.end; });
    std::string text;
    text.reserve(file.text.size());
    size_t pos = 0;
    bool any_block = false;
    for (size_t k = 0; k < spans.size();) {
        Span merged = spans[k++];
        while (k < spans.size() && spans[k].start < merged.end) merged.end = std::max(merged.end, spans[k++].end);
        if (merged.start < pos) continue;
        text.append(file.text, pos, merged.start - pos);
        text += merged.secret == key_block ? "<redacted-private-key>" : placeholder(merged.secret);
        any_block |= merged.secret == key_block;
        pos = merged.end;
    }
    text.append(file.text, pos, std::string::npos);
    out.text = std::move(text);
    if (count) *count = static_cast<int>(secrets.size()) + (any_block && secrets.empty() ? 1 : 0);
    return out;
}

}  // namespace ciri
