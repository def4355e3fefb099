#include "ciri/redact.hpp"

#include <array>
#include <cmath>
#include <regex>

#include "parsers/text.hpp"

namespace ciri {

namespace {

// Splits a key into lower-case words at separators and camelCase humps.
std::vector<std::string> words_of(std::string_view key) {
    std::vector<std::string> words;
    std::string cur;
    for (size_t i = 0; i < key.size(); ++i) {
        char c = key[i];
        bool sep = !std::isalnum(static_cast<unsigned char>(c));
        bool hump = std::isupper(static_cast<unsigned char>(c)) && i > 0 &&
                    std::islower(static_cast<unsigned char>(key[i - 1]));
        if ((sep || hump) && !cur.empty()) words.push_back(std::move(cur)), cur.clear();
        if (!sep) cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!cur.empty()) words.push_back(cur);
    return words;
}

bool is_reference(std::string_view v) {
    // ${VAR}, $VAR, %(name)s and env lookups point at a secret; they are not one.
    return v.starts_with("${") || v.starts_with("$") || v.find("os.environ") != std::string_view::npos ||
           v.find("getenv") != std::string_view::npos || v.find("%(") != std::string_view::npos;
}

bool is_path_like(std::string_view v) {
    static const std::array<std::string_view, 8> exts = {".pem", ".key", ".crt", ".p12", ".jks", ".keytab", ".txt", ".json"};
    if (v.starts_with("/") || v.starts_with("./") || v.starts_with("~/") || v.starts_with("file:")) return true;
    for (auto e : exts)
        if (v.ends_with(e)) return true;
    return false;
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

}  // namespace

bool is_secret_name(std::string_view key) {
    // The last word names what the value is: `db.password` holds one, `PASSWORD_RESET_TIMEOUT`
    // and `AUTH_PASSWORD_VALIDATORS` only talk about passwords.
    auto words = words_of(key);
    if (words.empty()) return false;
    const std::string& last = words.back();
    if (last == "password" || last == "passwd" || last == "pwd" || last == "secret" || last == "token" ||
        last == "credential" || last == "credentials" || last == "apikey" || last == "passphrase" ||
        last == "requirepass" || last == "masterauth")
        return true;
    // "key" is a secret only as an api/access/secret/private/signing key.
    if (last == "key" && words.size() > 1) {
        const std::string& prev = words[words.size() - 2];
        return prev == "api" || prev == "access" || prev == "private" || prev == "signing" || prev == "secret" ||
               prev == "encryption" || prev == "auth";
    }
    return false;
}

bool looks_like_secret(std::string_view value) {
    std::string_view v = strip_quotes(trim(value));
    if (v.find("PRIVATE KEY-----") != std::string_view::npos) return true;
    static const std::regex url_password(R"([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]+@)");
    if (std::regex_search(v.begin(), v.end(), url_password)) return true;
    if (v.size() < 20 || v.find_first_of(" \t\n") != std::string_view::npos) return false;
    // Tokens are written in base64, hex or URL-safe characters; lists, literals and
    // expressions ([...], '...', a,b) are structure, not one random token.
    if (v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.~") !=
        std::string_view::npos)
        return false;
    if (is_reference(v) || is_path_like(v) || v.find("://") != std::string_view::npos) return false;
    // Class names and host names (org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider) are
    // dotted identifiers; the dotted tokens that are secrets are JWTs, whose header is "eyJ".
    static const std::regex dotted(R"([A-Za-z_$][\w$-]{0,63}(\.[A-Za-z_$][\w$-]{0,63})+)");
    if (!v.starts_with("eyJ") && std::regex_match(v.begin(), v.end(), dotted)) return false;
    bool lower = false, upper = false, digit = false, hex_only = true;
    for (char c : v) {
        lower |= std::islower(static_cast<unsigned char>(c)) != 0;
        upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
        digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
        hex_only &= std::isxdigit(static_cast<unsigned char>(c)) != 0;
    }
    if (hex_only && v.size() >= 32 && digit) return true;
    // Dotted identifiers (class names) are low in digits; random tokens mix all three classes.
    return lower && upper && digit && entropy(v) >= 3.5;
}

ConfigFile redact(const ConfigFile& file, int* count) {
    ConfigFile out = file;
    int n = 0;
    for (auto& p : out.params) {
        std::string_view value = strip_quotes(trim(p.value));
        if (value.empty() || is_reference(value)) continue;
        bool secret = (is_secret_name(p.key) && !is_path_like(value)) || looks_like_secret(value);
        if (!secret) continue;
        std::string placeholder = "<redacted-" + std::to_string(++n) + ">";
        std::string original(value);
        // Replace in the text: everywhere for long values, near the key's line for short ones,
        // so a short secret never rewrites unrelated text.
        auto lines = split_lines(out.text);
        std::string rebuilt;
        for (const auto& line : lines) {
            std::string text(line.text);
            bool near = line.number >= p.line && line.number <= p.line + 2;
            if (original.size() >= 6 || near)
                for (size_t pos = 0; (pos = text.find(original, pos)) != std::string::npos; pos += placeholder.size())
                    text.replace(pos, original.size(), placeholder);
            rebuilt += text;
            rebuilt += '\n';
        }
        if (!out.text.empty() && out.text.back() != '\n' && !rebuilt.empty()) rebuilt.pop_back();
        out.text = std::move(rebuilt);
        size_t at = p.value.find(original);
        p.value.replace(at, original.size(), placeholder);
    }
    // A private key block may span lines no parameter covers completely.
    static const std::regex key_block(R"(-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)");
    std::string replaced = std::regex_replace(out.text, key_block, "<redacted-private-key>");
    if (replaced != out.text) ++n, out.text = std::move(replaced);
    if (count) *count = n;
    return out;
}

}  // namespace ciri
