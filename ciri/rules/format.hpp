// A `{}`-placeholder formatter for the rules' messages (the toolchain has no <format>).
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace ciri::rules_detail {

inline void format_to(std::ostringstream& out, std::string_view pattern) { out << pattern; }

template <class T, class... Rest>
void format_to(std::ostringstream& out, std::string_view pattern, const T& first, const Rest&... rest) {
    size_t at = pattern.find("{}");
    if (at == std::string_view::npos) {
        out << pattern;
        return;
    }
    out << pattern.substr(0, at) << first;
    format_to(out, pattern.substr(at + 2), rest...);
}

/// `pattern` with each `{}` replaced by the next argument, as streamed by <<.
template <class... Args>
std::string format(std::string_view pattern, const Args&... args) {
    std::ostringstream out;
    out.precision(10);
    format_to(out, pattern, args...);
    return out.str();
}

}  // namespace ciri::rules_detail
