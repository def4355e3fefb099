#include "ciri/backends/recorded_answers.hpp"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <set>

#include "base/sha256.hpp"

namespace ciri {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* outcome_name(CiriOutcome o) {
    switch (o) {
        case CiriOutcome::misconfigured: return "misconfigured";
        case CiriOutcome::correct: return "correct";
        case CiriOutcome::no_consistent_result: return "no_consistent_result";
    }
    return "correct";
}

std::string join_key(std::string_view a, std::string_view b, std::string_view c) {
    std::string k;
    k.reserve(a.size() + b.size() + c.size() + 2);
    k.append(a).append("\t").append(b).append("\t").append(c);
    return k;
}

std::string joined(const std::vector<std::string>& lines, size_t from, size_t count) {
    std::string out;
    for (size_t i = from; i < from + count; ++i) {
        if (i > from) out += '\n';
        out += lines[i];
    }
    return out;
}

// The lines of `text` with trailing blanks and '\r' cut; every line is kept.
std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
            line.remove_suffix(1);
        lines.emplace_back(line);
        start = end + 1;
    }
    return lines;
}

}  // namespace

const std::vector<std::string>& RecordedRecord::deciding_round() const {
    static const std::vector<std::string> none;
    return rounds.empty() ? none : rounds.back();
}

std::string RecordedRecord::final_answer() const {
    const bool bad = outcome == CiriOutcome::misconfigured && !params.empty();
    json reasons_json = json::array();
    if (bad)
        for (size_t i = 0; i < params.size(); ++i) reasons_json.push_back(i < reasons.size() ? reasons[i] : "");
    return json{{"hasError", bad}, {"errParameter", bad ? params : std::vector<std::string>{}},
                {"reason", reasons_json}}
        .dump();
}

std::vector<std::string> content_lines(std::string_view text) {
    std::vector<std::string> lines = split_lines(text);
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    size_t first = 0;
    while (first < lines.size() && lines[first].empty()) ++first;
    lines.erase(lines.begin(), lines.begin() + static_cast<long>(first));
    return lines;
}

std::string content_key(std::string_view text) {
    auto lines = content_lines(text);
    return sha256_hex(joined(lines, 0, lines.size()));
}

json to_json(const RecordedRecord& r) {
    json j{{"system", r.system},
           {"model", r.model},
           {"mode", r.mode},
           {"kind", r.kind},
           {"number", r.number},
           {"content_sha256", r.content_sha256},
           {"content_lines", r.content_lines},
           {"first_line", r.first_line},
           {"rounds", r.rounds},
           {"final", {{"outcome", outcome_name(r.outcome)}, {"params", r.params}, {"reasons", r.reasons}}}};
    if (!r.case_id.empty()) j["case"] = r.case_id;
    return j;
}

Expected<RecordedRecord> recorded_from_json(const json& j) {
    if (!j.is_object()) return fail("a record must be a json object");
    RecordedRecord r;
    try {
        r.system = j.at("system").get<std::string>();
        r.model = j.at("model").get<std::string>();
        r.mode = j.at("mode").get<std::string>();
        r.kind = j.at("kind").get<std::string>();
        r.number = j.at("number").get<int>();
        r.case_id = j.value("case", "");
        r.content_sha256 = j.value("content_sha256", "");
        r.content_lines = j.value("content_lines", 0);
        r.first_line = j.value("first_line", "");
        r.rounds = j.at("rounds").get<std::vector<std::vector<std::string>>>();
        const json& f = j.at("final");
        const std::string outcome = f.at("outcome").get<std::string>();
        if (outcome == "misconfigured") r.outcome = CiriOutcome::misconfigured;
        else if (outcome == "correct") r.outcome = CiriOutcome::correct;
        else if (outcome == "no_consistent_result") r.outcome = CiriOutcome::no_consistent_result;
        else return fail("unknown outcome '" + outcome + "'");
        r.params = f.value("params", std::vector<std::string>{});
        r.reasons = f.value("reasons", std::vector<std::string>{});
    } catch (const json::exception& e) {
        return fail(std::string("bad record: ") + e.what());
    }
    return r;
}

RecordedRecord make_record(const CiriResult& result, const CiriResultId& id, std::string_view dataset_text) {
    RecordedRecord r;
    r.system = id.system;
    r.model = id.model;
    r.mode = id.mode;
    r.kind = id.kind;
    r.number = id.number;
    auto lines = content_lines(dataset_text);
    r.content_sha256 = sha256_hex(joined(lines, 0, lines.size()));
    r.content_lines = static_cast<int>(lines.size());
    r.first_line = lines.empty() ? "" : lines.front();
    r.rounds = result.rounds;
    r.outcome = result.outcome;
    r.params = result.params;
    r.reasons = result.reasons;
    return r;
}

Expected<RecordedAnswers> RecordedAnswers::load(const fs::path& path) {
    std::ifstream in(path);
    if (!in) return std::unexpected(Error{"cannot read recorded answers", 0, path.string()});
    std::vector<RecordedRecord> records;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto j = json::parse(line, nullptr, false);
        if (j.is_discarded()) return std::unexpected(Error{"not json", n, path.string()});
        auto r = recorded_from_json(j);
        if (!r) return std::unexpected(Error{r.error().message, n, path.string()});
        records.push_back(std::move(*r));
    }
    return RecordedAnswers(std::move(records));
}

Expected<std::shared_ptr<const RecordedAnswers>> RecordedAnswers::shared(const fs::path& path) {
    static std::mutex mu;
    static std::map<std::string, std::shared_ptr<const RecordedAnswers>> loaded;
    std::error_code ec;
    const std::string key = fs::weakly_canonical(path, ec).string();
    std::lock_guard lock(mu);
    if (auto it = loaded.find(key); it != loaded.end()) return it->second;
    auto answers = load(path);
    if (!answers) return std::unexpected(answers.error());
    auto ptr = std::make_shared<const RecordedAnswers>(std::move(*answers));
    loaded[key] = ptr;
    return ptr;
}

RecordedAnswers::RecordedAnswers(std::vector<RecordedRecord> records) : records_(std::move(records)) {
    for (size_t i = 0; i < records_.size(); ++i) {
        const auto& r = records_[i];
        by_id_.emplace(join_key(r.model, r.mode, r.item_id()), i);
        if (r.content_sha256.empty()) continue;
        by_key_.emplace(join_key(r.model, r.mode, r.content_sha256), i);
        auto& counts = anchors_[r.first_line];
        if (std::find(counts.begin(), counts.end(), r.content_lines) == counts.end())
            counts.push_back(r.content_lines);
    }
}

const RecordedRecord* RecordedAnswers::find(std::string_view model, std::string_view mode, std::string_view system,
                                            std::string_view kind, int number) const {
    std::string id = std::string(system) + "/" + std::string(kind) + "/" + std::to_string(number);
    auto it = by_id_.find(join_key(model, mode, id));
    return it == by_id_.end() ? nullptr : &records_[it->second];
}

const RecordedRecord* RecordedAnswers::find_by_key(std::string_view model, std::string_view mode,
                                                   std::string_view key) const {
    auto it = by_key_.find(join_key(model, mode, key));
    return it == by_key_.end() ? nullptr : &records_[it->second];
}

const RecordedRecord* RecordedAnswers::find_in_text(std::string_view model, std::string_view mode,
                                                    std::string_view text) const {
    // Whole-line matching anchored on first lines keeps this to a few hashes per prompt.
    std::vector<std::string> lines = split_lines(text);
    for (size_t i = lines.size(); i-- > 0;) {
        auto anchor = anchors_.find(lines[i]);
        if (anchor == anchors_.end()) continue;
        for (int count : anchor->second) {
            if (count <= 0 || i + static_cast<size_t>(count) > lines.size()) continue;
            if (auto* r = find_by_key(model, mode, sha256_hex(joined(lines, i, static_cast<size_t>(count)))))
                return r;
        }
    }
    return nullptr;
}

std::vector<std::string> RecordedAnswers::models() const {
    std::set<std::string> s;
    for (const auto& r : records_) s.insert(r.model);
    return {s.begin(), s.end()};
}

std::vector<std::string> RecordedAnswers::modes(std::string_view model) const {
    std::set<std::string> s;
    for (const auto& r : records_)
        if (r.model == model) s.insert(r.mode);
    return {s.begin(), s.end()};
}

Expected<RecordedModel> parse_recorded_model(std::string_view text) {
    RecordedModel m;
    size_t colon = text.find(':');
    m.model = std::string(text.substr(0, colon));
    if (m.model.empty()) return fail("recorded model name is empty");
    while (colon != std::string_view::npos) {
        size_t next = text.find(':', colon + 1);
        std::string part(text.substr(colon + 1, next == std::string_view::npos ? next : next - colon - 1));
        if (part == "final") m.final = true;
        else if (!part.empty()) m.mode = part;
        colon = next;
    }
    return m;
}

Expected<std::pair<RecordedModel, fs::path>> parse_recorded_spec(std::string_view model_field) {
    const size_t at = model_field.rfind('@');
    if (at == std::string_view::npos || at + 1 == model_field.size())
        return fail("a recorded model is recorded/<model>[:<mode>][:final]@<answers.jsonl>");
    auto m = parse_recorded_model(model_field.substr(0, at));
    if (!m) return std::unexpected(m.error());
    return std::pair{std::move(*m), fs::path(std::string(model_field.substr(at + 1)))};
}

}  // namespace ciri
