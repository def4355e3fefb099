#include "ciri/backends/json_text.hpp"

#include <array>
#include <nlohmann/json.hpp>

namespace ciri {
namespace {

// What each byte needs: 0 copied as is, 1 an escape, 2 the lead byte of a UTF-8 sequence
// (checked before it is copied).
constexpr std::array<unsigned char, 256> kClass = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = 1;
    t['"'] = t['\\'] = 1;
    for (int c = 0x80; c < 0x100; ++c) t[c] = 2;
    return t;
}();

// The length of the well-formed UTF-8 sequence at `p` (Unicode's table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF), 0 when it is not one.
size_t utf8_length(const unsigned char* p, const unsigned char* end) {
    auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return p + i < end && p[i] >= lo && p[i] <= hi;
    };
    unsigned char c = p[0];
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

// Appends the escaped bytes of `s`; false (with `out` part-written) at invalid UTF-8.
bool append_escaped(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    auto p = reinterpret_cast<const unsigned char*>(s.data());
    const unsigned char* end = p + s.size();
    const unsigned char* run = p;  // the start of bytes not yet appended
    while (p < end) {
        unsigned char kind = kClass[*p];
        if (kind == 0) {
            ++p;
        } else if (kind == 2) {
            size_t n = utf8_length(p, end);
            if (n == 0) return false;
            p += n;
        } else {
            out.append(reinterpret_cast<const char*>(run), p - run);
            switch (*p) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\b': out += "\\b"; break;
                case '\f': out += "\\f"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default: out += "\\u00", out += kHex[*p >> 4], out += kHex[*p & 15];
            }
            run = ++p;
        }
    }
    out.append(reinterpret_cast<const char*>(run), p - run);
    return true;
}

}  // namespace

void append_json_string(std::string& out, std::initializer_list<std::string_view> parts) {
    size_t size = 0;
    for (std::string_view s : parts) size += s.size();
    size_t start = out.size();
    out.reserve(start + size + size / 8 + 2);
    out += '"';
    bool ok = true;
    for (std::string_view s : parts) ok = ok && append_escaped(out, s);
    if (ok) {
        out += '"';
        return;
    }
    // Invalid UTF-8 (or a sequence cut between parts): nlohmann decides, as it always did.
    out.resize(start);
    std::string joined;
    joined.reserve(size);
    for (std::string_view s : parts) joined += s;
    out += nlohmann::json(std::move(joined)).dump();
}

void append_chat_messages(std::string& out, const Prompt& prompt) {
    out += '[';
    if (!prompt.system.empty()) {
        out += "{\"content\":";
        append_json_string(out, prompt.system);
        out += ",\"role\":\"system\"},";
    }
    out += "{\"content\":";
    append_json_string(out, {prompt.prefix, prompt.body});
    out += ",\"role\":\"user\"}]";
}

}  // namespace ciri
