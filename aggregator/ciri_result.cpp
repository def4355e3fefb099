#include "aggregator/ciri_result.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace ciri {
namespace {

constexpr std::string_view kMisconfigured = "There are ";
constexpr std::string_view kMisconfiguredMid = " misconfiguration parameters in the input:";
constexpr std::string_view kCorrect = "The CONFIGURATION FILE IS CORRECT";
constexpr std::string_view kNoConsistent = "NO CONSISTENT RESULT";
constexpr std::string_view kReason = "[Ciri] Reason for ";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// "[13, 9, 15]" -> {13, 9, 15}.
Expected<std::vector<int>> int_list(std::string_view s, int line) {
    s = trim(s);
    if (s.size() < 2 || s.front() != '[' || s.back() != ']')
        return fail("expected a shot list like [1, 2]", line);
    s = s.substr(1, s.size() - 2);
    std::vector<int> out;
    while (!trim(s).empty()) {
        size_t comma = s.find(',');
        std::string_view item = trim(s.substr(0, comma));
        int v = 0;
        auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (ec != std::errc() || end != item.data() + item.size())
            return fail("malformed shot number '" + std::string(item) + "'", line);
        out.push_back(v);
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma + 1);
    }
    return out;
}

}  // namespace

const std::vector<std::string>& CiriResult::deciding_round() const {
    static const std::vector<std::string> kNone;
    return rounds.empty() ? kNone : rounds.back();
}

Expected<CiriResult> parse_ciri_result(std::string_view text) {
    std::vector<std::string_view> lines;
    for (size_t start = 0; start <= text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    CiriResult r;
    enum class In { none, misconfig_shots, valid_shots, raw, final_head, reasons } in = In::none;
    bool has_final = false;
    std::vector<bool> has_reason;
    for (size_t i = 0; i < lines.size(); ++i) {
        int no = static_cast<int>(i) + 1;
        std::string_view raw = lines[i];
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        std::string_view l = trim(raw);
        if (in != In::reasons) {
            if (l == "Wrong shot number:") {
                in = In::misconfig_shots;
                continue;
            }
            if (l == "Correct shot number:") {
                in = In::valid_shots;
                continue;
            }
            if (l == "Raw json:") {
                r.rounds.emplace_back();
                in = In::raw;
                continue;
            }
            if (l == "Final result:") {
                has_final = true;
                in = In::final_head;
                continue;
            }
        }
        if (l.empty()) continue;
        switch (in) {
            case In::none:
                return fail("unexpected line before any section", no);
            case In::misconfig_shots:
            case In::valid_shots: {
                auto v = int_list(l, no);
                if (!v) return std::unexpected(v.error());
                (in == In::misconfig_shots ? r.misconfig_shots : r.valid_shots) = std::move(*v);
                in = In::none;
                break;
            }
            case In::raw:
                r.rounds.back().emplace_back(l);
                break;
            case In::final_head:
                if (l == kCorrect) {
                    r.outcome = CiriOutcome::correct;
                } else if (l == kNoConsistent) {
                    r.outcome = CiriOutcome::no_consistent_result;
                } else if (l.starts_with(kMisconfigured)) {
                    size_t mid = l.find(kMisconfiguredMid);
                    if (mid == std::string_view::npos) return fail("malformed final result", no);
                    std::string_view count =
                        l.substr(kMisconfigured.size(), mid - kMisconfigured.size());
                    int n = 0;
                    auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
                    if (ec != std::errc() || end != count.data() + count.size())
                        return fail("malformed parameter count", no);
                    // Taken from the untrimmed line: parameters are separated by tabs.
                    std::string_view list =
                        raw.substr(raw.find(kMisconfiguredMid) + kMisconfiguredMid.size());
                    if (list.starts_with(' ')) list.remove_prefix(1);
                    r.outcome = CiriOutcome::misconfigured;
                    for (size_t s = 0; s <= list.size();) {
                        size_t tab = list.find('\t', s);
                        if (tab == std::string_view::npos) tab = list.size();
                        r.params.emplace_back(list.substr(s, tab - s));
                        s = tab + 1;
                    }
                    if (static_cast<int>(r.params.size()) != n)
                        return fail("final result counts " + std::to_string(n) +
                                        " parameters but lists " + std::to_string(r.params.size()),
                                    no);
                    r.reasons.assign(r.params.size(), "");
                    has_reason.assign(r.params.size(), false);
                } else {
                    return fail("unknown final result '" + std::string(l) + "'", no);
                }
                in = In::reasons;
                break;
            case In::reasons: {
                if (!raw.starts_with(kReason)) {
                    // A reason that spans lines continues the one before it.
                    auto last = std::find_if(r.reasons.rbegin(), r.reasons.rend(),
                                             [](const std::string& s) { return !s.empty(); });
                    if (last == r.reasons.rend()) return fail("text after the final result", no);
                    *last += "\n" + std::string(raw);
                    break;
                }
                std::string_view rest = raw.substr(kReason.size());
                // Parameter names may hold ": ", so the longest reported name that fits wins; a
                // repeated name takes the first of its copies still without a reason.
                size_t best = r.params.size();
                for (size_t p = 0; p < r.params.size(); ++p) {
                    const auto& name = r.params[p];
                    if (!rest.starts_with(name) || !rest.substr(name.size()).starts_with(":"))
                        continue;
                    if (best == r.params.size() || name.size() > r.params[best].size() ||
                        (name.size() == r.params[best].size() && has_reason[best] &&
                         !has_reason[p]))
                        best = p;
                }
                if (best == r.params.size())
                    return fail("reason for a parameter that was not reported", no);
                has_reason[best] = true;
                std::string_view reason = rest.substr(r.params[best].size() + 1);
                if (reason.starts_with(' ')) reason.remove_prefix(1);
                r.reasons[best] = std::string(reason);
                break;
            }
        }
    }
    if (!has_final) return fail("no \"Final result:\" section");
    return r;
}

Expected<CiriResult> read_ciri_result(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(Error{"cannot read the file", 0, path.string()});
    std::ostringstream buf;
    buf << in.rdbuf();
    auto r = parse_ciri_result(buf.str());
    if (!r) {
        Error e = r.error();
        e.path = path.string();
        return std::unexpected(e);
    }
    return r;
}

std::filesystem::path CiriResultId::dataset_file(const std::filesystem::path& root) const {
    return root / "datasets" / "synthesize_config" / system / kind / std::to_string(number);
}

Expected<CiriResultId> ciri_result_id(const std::filesystem::path& path) {
    std::vector<std::string> parts;
    for (const auto& p : path) parts.push_back(p.string());
    if (parts.size() < 5)
        return fail("not a results/synthesize_config/<system>/<model>/<mode>/<kind>/<N> path");
    CiriResultId id;
    size_t n = parts.size();
    id.system = parts[n - 5];
    id.model = parts[n - 4];
    id.mode = parts[n - 3];
    id.kind = parts[n - 2];
    const std::string& num = parts[n - 1];
    auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), id.number);
    if (ec != std::errc() || end != num.data() + num.size() ||
        (id.kind != "correct" && id.kind != "erroneous"))
        return fail("not a results/synthesize_config/<system>/<model>/<mode>/<kind>/<N> path");
    return id;
}

std::vector<std::filesystem::path> ciri_result_files(const std::filesystem::path& root) {
    std::vector<std::filesystem::path> out;
    std::filesystem::path dir = root / "results" / "synthesize_config";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return out;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file()) out.push_back(it->path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace ciri
