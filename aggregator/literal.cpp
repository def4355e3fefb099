#include "aggregator/literal.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "parsers/text.hpp"

namespace ciri {
namespace {

// Answers are a dict of lists; deeper nesting means the text is not an answer.
constexpr int kMaxDepth = 64;

class Reader {
  public:
    Reader(std::string_view text, size_t pos) : text_(text), pos_(pos) {}

    Expected<nlohmann::json> value(int depth) {
        skip_space();
        if (depth > kMaxDepth) return error("nesting too deep");
        if (pos_ >= text_.size()) return error("expected a value, found the end");
        char c = text_[pos_];
        if (c == '{') return dict(depth);
        if (c == '[') return list(depth, ']');
        if (c == '(') return list(depth, ')');
        if (c == '\'' || c == '"') return strings();
        if (c == '-' || c == '+' || c == '.' || std::isdigit(static_cast<unsigned char>(c)))
            return number();
        if (is_ident_start(c)) {
            std::string_view word = identifier();
            if (word == "True" || word == "true") return nlohmann::json(true);
            if (word == "False" || word == "false") return nlohmann::json(false);
            if (word == "None" || word == "null") return nlohmann::json(nullptr);
            pos_ -= word.size();
            return error("unexpected word '" + std::string(word) + "'");
        }
        return error(std::string("unexpected character '") + c + "'");
    }

    size_t pos() const { return pos_; }

    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }

    std::unexpected<Error> error(const std::string& what) const {
        int line = 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + pos_, '\n'));
        return fail(what, line);
    }

  private:
    static bool is_ident_start(char c) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
    }
    static bool is_ident(char c) {
        return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c));
    }

    std::string_view identifier() {
        size_t start = pos_;
        while (pos_ < text_.size() && is_ident(text_[pos_])) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    bool consume(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    Expected<nlohmann::json> dict(int depth) {
        ++pos_;  // '{'
        nlohmann::json out = nlohmann::json::object();
        while (true) {
            if (consume('}')) return out;
            skip_space();
            std::string key;
            if (pos_ < text_.size() && is_ident_start(text_[pos_])) {
                // Bare keys are JS style; True/False/None as keys are read as their text too.
                key = std::string(identifier());
            } else {
                auto k = value(depth + 1);
                if (!k) return std::unexpected(k.error());
                // A key that is a list or dict may hold invalid UTF-8: replaced, never thrown.
                key = k->is_string() ? k->get<std::string>()
                                     : k->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            }
            if (!consume(':')) return error("expected ':' after a dict key");
            auto v = value(depth + 1);
            if (!v) return v;
            out[key] = std::move(*v);
            if (consume(',')) continue;
            if (consume('}')) return out;
            return error("expected ',' or '}' in a dict");
        }
    }

    Expected<nlohmann::json> list(int depth, char close) {
        ++pos_;  // '[' or '('
        nlohmann::json out = nlohmann::json::array();
        while (true) {
            if (consume(close)) return out;
            auto v = value(depth + 1);
            if (!v) return v;
            out.push_back(std::move(*v));
            if (consume(',')) continue;
            if (consume(close)) return out;
            return error(std::string("expected ',' or '") + close + "' in a list");
        }
    }

    Expected<nlohmann::json> number() {
        size_t start = pos_;
        if (text_[pos_] == '-' || text_[pos_] == '+') ++pos_;
        bool digits = false, fraction = false;
        auto run = [&] {
            while (pos_ < text_.size() &&
                   (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
                ++pos_;
                digits = true;
            }
        };
        run();
        if (pos_ < text_.size() && text_[pos_] == '.') {
            ++pos_;
            fraction = true;
            run();
        }
        if (digits && pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            size_t mark = pos_++;
            if (pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) ++pos_;
            if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
                fraction = true;
                run();
            } else {
                pos_ = mark;
            }
        }
        if (!digits) {
            pos_ = start;
            return error("malformed number");
        }
        std::string s(text_.substr(start, pos_ - start));
        std::erase(s, '_');
        if (!s.empty() && s[0] == '+') s.erase(0, 1);
        if (!fraction) {
            long long v = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (ec == std::errc() && end == s.data() + s.size()) return nlohmann::json(v);
        }
        try {
            return nlohmann::json(std::stod(s));
        } catch (const std::exception&) {
            pos_ = start;
            return error("malformed number");
        }
    }

    // Python joins adjacent literals ('a' 'b' == 'ab'); models sometimes wrap long reasons so.
    Expected<nlohmann::json> strings() {
        std::string out;
        do {
            auto s = string();
            if (!s) return std::unexpected(s.error());
            out += *s;
            skip_space();
        } while (pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"'));
        return nlohmann::json(std::move(out));
    }

    // Reads `n` hex digits after pos_; false (pos_ unchanged) when they are not there.
    bool hex(size_t n, uint32_t& cp) {
        if (pos_ + n > text_.size()) return false;
        uint32_t v = 0;
        for (size_t i = 0; i < n; ++i) {
            char c = text_[pos_ + i];
            int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                                : -1;
            if (d < 0) return false;
            v = v * 16 + static_cast<uint32_t>(d);
        }
        pos_ += n;
        cp = v;
        return true;
    }

    Expected<std::string> string() {
        size_t start = pos_;
        char quote = text_[pos_];
        bool triple = text_.substr(pos_, 3) == std::string(3, quote);
        pos_ += triple ? 3 : 1;
        std::string out;
        while (true) {
            if (pos_ >= text_.size()) {
                pos_ = start;
                return std::unexpected(error("unterminated string").error());
            }
            char c = text_[pos_];
            if (c == quote) {
                if (!triple) {
                    ++pos_;
                    return out;
                }
                if (text_.substr(pos_, 3) == std::string(3, quote)) {
                    pos_ += 3;
                    return out;
                }
            }
            if (c != '\\') {
                out += c;
                ++pos_;
                continue;
            }
            if (pos_ + 1 >= text_.size()) {
                pos_ = start;
                return std::unexpected(error("unterminated string").error());
            }
            char e = text_[pos_ + 1];
            pos_ += 2;
            uint32_t cp = 0;
            switch (e) {
                case '\\':
                    out += '\\';
                    break;
                case '\'':
                    out += '\'';
                    break;
                case '"':
                    out += '"';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'v':
                    out += '\v';
                    break;
                case 'a':
                    out += '\a';
                    break;
                case '\n':
                    break;  // a backslash-newline continues the line
                case 'x':
                    if (hex(2, cp))
                        append_utf8(out, cp);
                    else
                        out += "\\x";
                    break;
                case 'u':
                    if (!hex(4, cp)) {
                        out += "\\u";
                        break;
                    }
                    // JSON writes astral characters as a surrogate pair.
                    if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
                        size_t mark = pos_;
                        pos_ += 2;
                        uint32_t low = 0;
                        if (hex(4, low) && low >= 0xDC00 && low <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        } else {
                            pos_ = mark;
                        }
                    }
                    append_utf8(out, cp);
                    break;
                case 'U':
                    if (hex(8, cp))
                        append_utf8(out, cp);
                    else
                        out += "\\U";
                    break;
                default:
                    if (e >= '0' && e <= '7') {
                        uint32_t v = static_cast<uint32_t>(e - '0');
                        for (int i = 0; i < 2 && pos_ < text_.size() && text_[pos_] >= '0' &&
                                        text_[pos_] <= '7';
                             ++i)
                            v = v * 8 + static_cast<uint32_t>(text_[pos_++] - '0');
                        append_utf8(out, v);
                    } else {
                        // Python keeps unknown escapes verbatim.
                        out += '\\';
                        out += e;
                    }
            }
        }
    }

    std::string_view text_;
    size_t pos_;
};

}  // namespace

Expected<nlohmann::json> read_literal(std::string_view text, size_t& pos) {
    Reader reader(text, pos);
    auto v = reader.value(0);
    if (v) pos = reader.pos();
    return v;
}

Expected<nlohmann::json> parse_literal(std::string_view text) {
    size_t pos = 0;
    auto v = read_literal(text, pos);
    if (!v) return v;
    Reader rest(text, pos);
    rest.skip_space();
    if (rest.pos() != text.size()) return rest.error("unexpected text after the value");
    return v;
}

}  // namespace ciri
