#include "parsers/reader.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <system_error>

namespace ciri {

namespace {

int line_at(const std::string& s, size_t pos) {
    int line = 1;
    for (size_t i = 0; i < pos && i < s.size(); ++i)
        if (s[i] == '\n') ++line;
    return line;
}

// Returns the offset of the first byte that breaks UTF-8, or npos.
size_t first_invalid_utf8(const std::string& s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t n = s.size(), i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) { ++i; continue; }
        size_t len;
        unsigned min;
        unsigned cp;
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
        else return i;
        if (i + len > n) return i;
        for (size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
        if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
        i += len;
    }
    return std::string::npos;
}

}  // namespace

Expected<std::string> decode_text(std::string bytes) {
    auto starts = [&](std::string_view prefix) { return bytes.starts_with(prefix); };
    // Errors about the whole file's encoding point at line 1, where its byte-order mark is.
    if (starts(std::string_view("\0\0\xFE\xFF", 4)) || starts(std::string_view("\xFF\xFE\0\0", 4)))
        return fail("UTF-32 text is not supported: convert the file to UTF-8", 1);
    if (starts("\xFF\xFE") || starts("\xFE\xFF"))
        return fail("UTF-16 text is not supported: convert the file to UTF-8", 1);
    if (bytes.find('\0') != std::string::npos)
        return fail("binary file: a configuration file must be text", line_at(bytes, bytes.find('\0')));
    if (starts("\xEF\xBB\xBF")) bytes.erase(0, 3);
    if (size_t bad = first_invalid_utf8(bytes); bad != std::string::npos)
        return fail("invalid UTF-8 (byte offset " + std::to_string(bad) + "): convert the file to UTF-8",
                    line_at(bytes, bad));
    if (bytes.find('\r') != std::string::npos) {
        std::string out;
        out.reserve(bytes.size());
        for (size_t i = 0; i < bytes.size(); ++i) {
            if (bytes[i] != '\r') out += bytes[i];
            else if (i + 1 >= bytes.size() || bytes[i + 1] != '\n') out += '\n';
        }
        bytes = std::move(out);
    }
    return bytes;
}

std::string read_at_most(std::istream& in, size_t max_bytes) {
    // One byte past the limit tells "too large" from "exactly at the limit" without reading on.
    size_t want = max_bytes == std::numeric_limits<size_t>::max() ? max_bytes : max_bytes + 1;
    std::string bytes;
    char buf[1 << 16];
    while (bytes.size() < want && in) {
        in.read(buf, static_cast<std::streamsize>(std::min(sizeof buf, want - bytes.size())));
        bytes.append(buf, static_cast<size_t>(in.gcount()));
    }
    return bytes;
}

std::string over_limit_message(size_t max_bytes) {
    return "the whole input is over the size limit of " + std::to_string(max_bytes) +
           " bytes (raise it with --max-size)";
}

Expected<std::string> read_text_file(const std::filesystem::path& path, size_t max_bytes) {
    auto with_path = [&](Error e) {
        e.path = path.string();
        return std::unexpected(std::move(e));
    };
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return with_path({"is a directory, not a file"});
    auto size = std::filesystem::file_size(path, ec);
    if (ec) return with_path({"cannot read: " + ec.message()});
    if (size > max_bytes)
        return with_path({"file is " + std::to_string(size) + " bytes, over the limit of " +
                          std::to_string(max_bytes) + " (raise it with --max-size)", 1});
    std::ifstream in(path, std::ios::binary);
    if (!in) return with_path({"cannot open for reading"});
    // The size can lie (a growing file, /proc, a FIFO): read no further than the limit says.
    std::string bytes = read_at_most(in, max_bytes);
    if (bytes.size() > max_bytes) return with_path({over_limit_message(max_bytes), 1});
    auto text = decode_text(std::move(bytes));
    if (!text) return with_path(text.error());
    return text;
}

}  // namespace ciri
