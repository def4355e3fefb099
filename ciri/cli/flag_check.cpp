#include "ciri/cli/flag_check.hpp"

#include <algorithm>

#include "ciri/report/reporter.hpp"
#include "parsers/detect.hpp"
#include "parsers/registry.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string closest_name(std::string_view given, const std::vector<std::string>& accepted) {
    std::string g = to_lower(given), best;
    size_t best_d = std::string::npos;
    bool best_same_start = false;
    for (const auto& a : accepted) {
        std::string l = to_lower(a);
        // A prefix is a slip too: "misconfig" for "misconfigured".
        size_t d = l.starts_with(g) && g.size() >= 3 ? 1 : edit_distance(g, l);
        // On a tie, a name starting with the same letter is the likelier slip ("yml": yaml, not xml).
        bool same_start = !g.empty() && !l.empty() && g[0] == l[0];
        if (d < best_d || (d == best_d && same_start && !best_same_start))
            best_d = d, best = a, best_same_start = same_start;
    }
    size_t limit = std::max<size_t>(1, given.size() / 3);
    return best_d <= limit ? best : "";
}

std::string not_one_of(std::string_view what, std::string_view given, const std::vector<std::string>& accepted) {
    std::string list;
    for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
    std::string msg = "unknown " + std::string(what) + " '" + std::string(given) + "' (accepted: " + list + ")";
    if (auto near = closest_name(given, accepted); !near.empty()) msg += "; did you mean '" + near + "'?";
    return msg;
}

CLI::Validator one_of(std::string what, std::vector<std::string> accepted, bool before_eq) {
    return CLI::Validator(
        [what, accepted, before_eq](std::string& value) -> std::string {
            std::string name = before_eq ? value.substr(0, value.find('=')) : value;
            if (std::ranges::find(accepted, name) != accepted.end()) return "";
            return not_one_of(what, name, accepted);
        },
        "", what);
}

std::vector<std::string> system_names() {
    std::vector<std::string> out;
    for (const auto& s : systems()) out.emplace_back(s.name);
    return out;
}

std::vector<std::string> input_format_names() {
    std::vector<std::string> out;
    for (const auto& f : formats()) out.emplace_back(f.name);
    return out;
}

std::vector<std::string> output_format_names() {
    std::vector<std::string> out;
    for (const auto& r : reporters()) out.emplace_back(r.name);
    return out;
}

}  // namespace ciri
