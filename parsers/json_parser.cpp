// JSON: nlohmann validates (its errors are exact and well worded), then a small walker over
// the now known-good text records every key with its line, which nlohmann's SAX interface
// cannot report, and keeps duplicate keys that a json object would merge.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "parsers/registry.hpp"

namespace ciri {
namespace {

using json = nlohmann::json;

/// Accepts everything; only the first syntax error is of interest.
struct Validator : nlohmann::json_sax<json> {
    size_t error_pos = 0;
    std::string error_what;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t pos, const std::string&,
                     const nlohmann::detail::exception& ex) override {
        error_pos = pos;
        error_what = ex.what();
        return false;
    }
};

int line_at(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

/// nlohmann's message without its "[json.exception...] parse error at line L, column C: "
/// prefix and without the "last read" echo, which may hold control characters.
std::string short_message(const std::string& what) {
    std::string msg = what;
    if (size_t col = msg.find("column "); col != std::string::npos) {
        if (size_t colon = msg.find(": ", col); colon != std::string::npos)
            msg = msg.substr(colon + 2);
    }
    if (size_t lr = msg.find("; last read: '"); lr != std::string::npos) {
        size_t end = msg.find("'; ", lr + 14);
        msg.erase(lr, end == std::string::npos ? std::string::npos : end + 1 - lr);
    }
    return msg;
}

Error syntax_error(std::string_view text, const Validator& v) {
    // nlohmann reports how many characters it read; the last one is where it gave up.
    size_t at = v.error_pos == 0 ? 0 : v.error_pos - 1;
    if (at < text.size() && text[at] == '/' && at + 1 < text.size() &&
        (text[at + 1] == '/' || text[at + 1] == '*'))
        return {"comments are not allowed in json", line_at(text, at), {}};
    if (at >= text.size()) {
        // At end of input, blame the last line that has something on it.
        size_t last = text.find_last_not_of(" \t\r\n");
        return {short_message(v.error_what), last == std::string_view::npos ? 1 : line_at(text, last),
                {}};
    }
    return {short_message(v.error_what), line_at(text, at), {}};
}

struct JsonStop {
    std::string message;
    int line;
};

/// Walks valid JSON; positions and lines are tracked by hand.
class Walker {
public:
    Walker(std::string_view text, const ParseLimits& limits) : t_(text), limits_(limits) {}

    std::vector<Parameter> params;

    void run() {
        skip_ws();
        int first = line_;
        if (t_[pos_] != '{' && t_[pos_] != '[')
            throw JsonStop{"top-level value is a scalar, not an object or array", first};
        value("", first, 0);
    }

private:
    void value(const std::string& key, int key_line, int depth) {
        skip_ws();
        char c = t_[pos_];
        if (c == '{' || c == '[') {
            if (depth >= limits_.max_depth)
                throw JsonStop{"nesting deeper than " + std::to_string(limits_.max_depth) +
                                   " levels",
                               line_};
            ++pos_;
            bool object = c == '{';
            char close = object ? '}' : ']';
            skip_ws();
            if (t_[pos_] == close) {
                ++pos_;
                emit(key, object ? "{}" : "[]", key_line);
                return;
            }
            for (size_t i = 0;; ++i) {
                skip_ws();
                int item_line = line_;
                if (object) {
                    std::string name = string_token();
                    skip_ws();
                    ++pos_;  // ':'
                    value(key.empty() ? name : key + "." + name, item_line, depth + 1);
                } else {
                    value(key + "[" + std::to_string(i) + "]", item_line, depth + 1);
                }
                skip_ws();
                if (t_[pos_++] == close) return;  // otherwise it was ','
            }
        }
        if (c == '"') {
            emit(key, string_token(), key_line);
            return;
        }
        size_t start = pos_;
        while (pos_ < t_.size() && std::string_view(",]} \t\r\n").find(t_[pos_]) == std::string_view::npos)
            ++pos_;
        emit(key, std::string(t_.substr(start, pos_ - start)), key_line);
    }

    /// The decoded string at pos_ (escapes resolved by nlohmann).
    std::string string_token() {
        size_t start = pos_++;
        while (t_[pos_] != '"') pos_ += t_[pos_] == '\\' ? 2 : 1;
        ++pos_;
        return json::parse(t_.substr(start, pos_ - start)).get<std::string>();
    }

    void skip_ws() {
        while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\r' ||
                                    t_[pos_] == '\n')) {
            if (t_[pos_] == '\n') ++line_;
            ++pos_;
        }
    }

    void emit(const std::string& key, std::string value, int line) {
        if (params.size() >= limits_.max_params)
            throw JsonStop{"more than " + std::to_string(limits_.max_params) + " parameters",
                           line};
        params.push_back({key, std::move(value), line, {}, {}});
    }

    std::string_view t_;
    const ParseLimits& limits_;
    size_t pos_ = 0;
    int line_ = 1;
};

}  // namespace

/// Parses JSON into dotted keys (`a.b`), `key[i]` for array items (`[0].x` for a top-level
/// array). Values: strings decoded and without quotes; numbers, true, false and null as
/// written; empty objects/arrays as "{}"/"[]". Every key has its line; duplicates are kept.
/// Comments (JSONC), syntax errors, a scalar at top level and nesting deeper than
/// limits.max_depth are Errors with the line.
Expected<std::vector<Parameter>> parse_json(std::string_view text, const ParseLimits& limits) {
    Validator v;
    if (!json::sax_parse(text.begin(), text.end(), &v)) return std::unexpected(syntax_error(text, v));
    Walker walker(text, limits);
    try {
        walker.run();
    } catch (const JsonStop& stop) {
        return fail(stop.message, stop.line);
    }
    return std::move(walker.params);
}

}  // namespace ciri
