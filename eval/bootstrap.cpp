#include "eval/bootstrap.hpp"

#include <algorithm>
#include <map>
#include <random>

#include "eval/metrics.hpp"

namespace ciri {

namespace {

// Per system, the items' counts at both levels: what a resample adds up.
struct ItemCounts {
    Counts param, file;
};
using BySystem = std::map<std::string, std::vector<ItemCounts>>;

BySystem by_system(const std::vector<Prediction>& predictions) {
    BySystem out;
    for (const auto& p : predictions) out[p.system].push_back({param_counts(p), file_counts(p)});
    return out;
}

double f1_of(const Counts& c) { return rates(c).f1; }

// The macro F1s of one resample (or of the items as they are when `draw` is the identity).
template <class Draw>
std::pair<double, double> macro_f1(const BySystem& systems, Draw draw) {
    double param = 0, file = 0;
    for (const auto& [name, items] : systems) {
        Counts p, f;
        for (size_t i = 0; i < items.size(); ++i) {
            const ItemCounts& c = items[draw(items.size(), i)];
            p += c.param, f += c.file;
        }
        param += f1_of(p), file += f1_of(f);
    }
    double n = systems.empty() ? 1.0 : static_cast<double>(systems.size());
    return {param / n, file / n};
}

Interval percentiles(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    if (values.empty()) return {};
    auto at = [&](double q) { return values[std::min(values.size() - 1, static_cast<size_t>(q * values.size()))]; };
    return {at(0.025), at(0.975)};
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ";") + n;
    return out;
}

}  // namespace

MacroIntervals bootstrap_macro_f1(const std::vector<Prediction>& predictions, int rounds, uint64_t seed) {
    BySystem systems = by_system(predictions);
    std::mt19937_64 rng(seed);
    std::vector<double> param, file;
    for (int r = 0; r < rounds; ++r) {
        auto [p, f] = macro_f1(systems, [&](size_t n, size_t) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); });
        param.push_back(p), file.push_back(f);
    }
    return {percentiles(param), percentiles(file)};
}

PairedDifference paired_bootstrap(const std::vector<Prediction>& a, const std::vector<Prediction>& b, int rounds,
                                  uint64_t seed) {
    std::map<std::string, const Prediction*> in_b;
    for (const auto& p : b) in_b.emplace(p.id, &p);
    // Both runs' counts per system, item by item, so one draw picks the same item in both.
    BySystem sa, sb;
    PairedDifference d;
    for (const auto& p : a) {
        auto it = in_b.find(p.id);
        if (it == in_b.end()) continue;
        sa[p.system].push_back({param_counts(p), file_counts(p)});
        sb[p.system].push_back({param_counts(*it->second), file_counts(*it->second)});
        ++d.items;
    }
    auto identity = [](size_t, size_t i) { return i; };
    d.difference = macro_f1(sb, identity).first - macro_f1(sa, identity).first;
    std::mt19937_64 rng(seed);
    std::vector<double> diffs;
    for (int r = 0; r < rounds; ++r) {
        std::map<std::string, std::vector<size_t>> picks;
        for (const auto& [name, items] : sa) {
            auto& v = picks[name];
            for (size_t i = 0; i < items.size(); ++i)
                v.push_back(std::uniform_int_distribution<size_t>(0, items.size() - 1)(rng));
        }
        // Each system's draw is replayed on both runs.
        auto replay = [&](const BySystem& s) {
            double sum = 0;
            for (const auto& [name, items] : s) {
                Counts c;
                for (size_t i : picks[name]) c += items[i].param;
                sum += f1_of(c);
            }
            return sum / static_cast<double>(std::max<size_t>(1, s.size()));
        };
        diffs.push_back(replay(sb) - replay(sa));
    }
    d.interval = percentiles(diffs);
    d.beyond_noise = d.items > 0 && (d.interval.low > 0 || d.interval.high < 0);
    return d;
}

std::string predictions_csv(const std::vector<Prediction>& predictions) {
    std::string out = "id,system,label,verdict,truth,reported,error\n";
    for (const auto& p : predictions)
        out += csv_field(p.id) + "," + csv_field(p.system) + "," +
               (p.label == Label::misconfigured ? "misconfigured" : "valid") + "," + to_string(p.verdict) + "," +
               csv_field(joined(p.truth)) + "," + csv_field(joined(p.reported)) + "," + csv_field(p.error) + "\n";
    return out;
}

}  // namespace ciri
