#include "prompts/shot_pool.hpp"
#include "base/data_dir.hpp"
#include "parsers/reader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "parsers/detect.hpp"

namespace ciri {

namespace {

namespace fs = std::filesystem;

// The artifact separates config and question with one line break after the config's own
// final one, and opens the answer with this fence.
constexpr std::string_view kQuestionMark = "\nQuestion: ";
constexpr std::string_view kAnswerFence = "\n\nAnswer:\n```json\n";

// Bounded, and only a regular file: a pool may be a repository's folder (a FIFO would block).
Expected<std::string> read_file(const fs::path& path) {
    auto text = read_text_file(path);
    if (!text) return fail("cannot read shot file: " + text.error().message);
    return text;
}

std::string trim(std::string_view s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

// Checks an answer against the paper's rules and that it fits the kind of shot.
Expected<void> check_answer(std::string_view json_text, bool valid) {
    nlohmann::json answer = nlohmann::json::parse(json_text, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) return fail("answer is not a JSON object");
    if (!answer.contains("hasError") || !answer["hasError"].is_boolean())
        return fail("answer lacks a boolean hasError");
    for (const char* list : {"errParameter", "reason"}) {
        if (!answer.contains(list) || !answer[list].is_array())
            return fail(std::string("answer lacks the list ") + list);
        for (const auto& item : answer[list])
            if (!item.is_string()) return fail(std::string(list) + " holds a non-string");
    }
    bool has_error = answer["hasError"].get<bool>();
    size_t n = answer["errParameter"].size();
    if (has_error == valid)
        return fail(valid ? "a valid shot's answer says hasError true"
                          : "a misconfiguration shot's answer says hasError false");
    if (has_error ? (n == 0 || answer["reason"].size() != n)
                  : (n != 0 || !answer["reason"].empty()))
        return fail("answer's errParameter and reason do not match hasError");
    return {};
}

// Numeric order for ids that start with a number ("2" before "10"), then by text.
bool id_less(const Shot& a, const Shot& b) {
    auto number = [](const std::string& id) {
        int n = 0;
        auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
        return ec == std::errc() ? n : std::numeric_limits<int>::max();
    };
    if (a.valid != b.valid) return !a.valid;
    int na = number(a.id), nb = number(b.id);
    return na != nb ? na < nb : a.id < b.id;
}

// Reads the shot file `path` and parses it with `parse`; the shot, or the error, names the file.
template <class Parse>
Expected<Shot> read_shot(const fs::path& path, Parse&& parse) {
    auto text = read_file(path);
    auto shot = text ? parse(*text) : std::unexpected(text.error());
    if (!shot) {
        Error e = shot.error();
        e.path = path.string();
        return std::unexpected(e);
    }
    shot->path = path.string();
    return shot;
}

Expected<std::vector<Shot>> load_artifact_dir(const fs::path& dir, std::string_view system) {
    std::vector<Shot> shots;
    for (auto [sub, valid] : {std::pair{"Misconfig", false}, std::pair{"ValidConfig", true}}) {
        fs::path kind_dir = dir / sub;
        if (!fs::is_directory(kind_dir)) continue;
        for (const auto& entry : fs::directory_iterator(kind_dir)) {
            if (!entry.is_regular_file()) continue;
            auto shot = read_shot(entry.path(), [&](const std::string& text) {
                return parse_artifact_shot(text, system, valid, entry.path().filename().string());
            });
            if (!shot) return std::unexpected(shot.error());
            shots.push_back(std::move(*shot));
        }
    }
    std::ranges::sort(shots, id_less);
    return shots;
}

Expected<std::vector<Shot>> load_own_dir(const fs::path& dir, std::string_view system) {
    const SystemInfo* info = find_system(system);
    std::string title = info ? std::string(info->title) : std::string(system);
    std::vector<Shot> shots;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".shot") continue;
        auto shot = read_shot(entry.path(), [&](const std::string& text) {
            return parse_shot_file(text, system, title, entry.path().stem().string());
        });
        if (!shot) return std::unexpected(shot.error());
        shots.push_back(std::move(*shot));
    }
    std::ranges::sort(shots, id_less);
    return shots;
}

bool has_artifact_layout(const fs::path& dir) {
    return fs::is_directory(dir / "Misconfig") || fs::is_directory(dir / "ValidConfig");
}

}  // namespace

const std::vector<std::string>& shot_categories() {
    static const std::vector<std::string> kCategories = {"syntax", "range", "dependency",
                                                         "version"};
    return kCategories;
}

std::string paper_question(std::string_view title, std::string_view version) {
    std::string q = "Question: Are there any mistakes in the above configuration file for ";
    q += title;
    if (!version.empty()) q += " version " + std::string(version);
    q += "? Respond in a json format similar to the following:\n"
         "{\n"
         "    \"hasError\": boolean, // true if there are errors, false if there are none\n"
         "    \"errParameter\": [], // List containing properties with errors. If there are no "
         "errors, leave this as an empty array\n"
         "    \"reason\": [] // List containing explanations for each error. If there are no "
         "errors, leave this as an empty array\n"
         "}";
    return q;
}

std::string paper_answer(bool has_error, const std::vector<std::string>& err_params,
                         const std::vector<std::string>& reasons) {
    auto list = [](const std::vector<std::string>& items) {
        std::string out = "[";
        for (size_t i = 0; i < items.size(); ++i)
            out += (i ? ", " : "") + nlohmann::json(items[i]).dump();
        return out + "]";
    };
    return "{\n    \"hasError\": " + std::string(has_error ? "true" : "false") +
           ",\n    \"errParameter\": " + list(err_params) + ",\n    \"reason\": " + list(reasons) +
           "\n}";
}

Expected<Shot> parse_artifact_shot(std::string_view text, std::string_view system, bool valid,
                                   std::string_view name) {
    Shot shot;
    shot.system = system;
    shot.valid = valid;
    size_t underscore = name.find('_');
    shot.id = name.substr(0, underscore);
    if (!valid) {
        if (underscore == std::string_view::npos)
            return fail("misconfiguration shot name must be <N>_<category>");
        shot.category = name.substr(underscore + 1);
    }
    size_t question = text.rfind(kQuestionMark);
    if (question == std::string_view::npos) return fail("shot has no 'Question:' line");
    size_t answer = text.find(kAnswerFence, question);
    if (answer == std::string_view::npos) return fail("shot has no 'Answer:' json fence");
    size_t json_start = answer + kAnswerFence.size();
    size_t json_end = text.find("```", json_start);
    if (json_end == std::string_view::npos) return fail("shot's answer fence is not closed");
    shot.text = text;
    shot.config = text.substr(0, question);  // keeps the config's own final line break
    shot.answer_json = trim(text.substr(json_start, json_end - json_start));
    if (auto ok = check_answer(shot.answer_json, valid); !ok) return std::unexpected(ok.error());
    return shot;
}

Expected<Shot> parse_shot_file(std::string_view text, std::string_view system,
                               std::string_view title, std::string id) {
    Shot shot;
    shot.system = system;
    shot.id = std::move(id);
    std::string kind, version;
    bool has_answer = false;
    size_t pos = 0;
    int line_no = 0;
    while (true) {
        if (pos >= text.size()) return fail("shot has no '---' line before its config", line_no);
        size_t end = text.find('\n', pos);
        std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
        pos = end == std::string_view::npos ? text.size() : end + 1;
        ++line_no;
        if (trim(line) == "---") break;
        if (trim(line).empty() || line.starts_with('#')) continue;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) return fail("expected 'name: value'", line_no);
        std::string key = trim(line.substr(0, colon));
        std::string value = trim(line.substr(colon + 1));
        if (key == "kind") {
            if (value != "valid" && value != "misconfig")
                return fail("kind must be 'valid' or 'misconfig'", line_no);
            kind = value;
        } else if (key == "category") {
            if (std::ranges::find(shot_categories(), value) == shot_categories().end())
                return fail("category must be syntax, range, dependency or version", line_no);
            shot.category = value;
        } else if (key == "version") {
            version = value;
        } else if (key == "answer") {
            shot.answer_json = value;
            has_answer = true;
        } else {
            return fail("unknown header '" + key + "'", line_no);
        }
    }
    if (kind.empty()) return fail("shot has no 'kind:' header");
    shot.valid = kind == "valid";
    if (shot.valid && !shot.category.empty()) return fail("a valid shot has no category");
    if (!shot.valid && shot.category.empty()) return fail("a misconfig shot needs 'category:'");
    if (!has_answer) {
        if (!shot.valid) return fail("a misconfig shot needs 'answer:'");
        shot.answer_json = R"({"hasError": false, "errParameter": [], "reason": []})";
    }
    if (auto ok = check_answer(shot.answer_json, shot.valid); !ok)
        return std::unexpected(ok.error());
    shot.config = text.substr(pos);
    if (trim(shot.config).empty()) return fail("shot has no config after '---'");
    if (!shot.config.ends_with('\n')) shot.config += '\n';
    auto answer = nlohmann::json::parse(shot.answer_json);
    shot.text = shot.config + "\n" + paper_question(title, version) + "\n\nAnswer:\n```json\n" +
                paper_answer(answer["hasError"].get<bool>(),
                             answer["errParameter"].get<std::vector<std::string>>(),
                             answer["reason"].get<std::vector<std::string>>()) +
                "\n```";
    return shot;
}

Expected<std::vector<Shot>> load_shot_pool(const fs::path& dir, std::string_view system) {
    if (system.empty()) return std::vector<Shot>{};
    // A dir that is itself one system's artifact pool counts only for that system.
    if (has_artifact_layout(dir))
        return dir.filename() == system ? load_artifact_dir(dir, system) : std::vector<Shot>{};
    fs::path sys_dir = dir / system;
    if (has_artifact_layout(sys_dir)) return load_artifact_dir(sys_dir, system);
    if (fs::is_directory(sys_dir / "shots")) return load_own_dir(sys_dir / "shots", system);
    if (fs::is_directory(sys_dir)) return load_own_dir(sys_dir, system);
    return std::vector<Shot>{};
}

fs::path default_shots_dir() {
    return data_dir() / "datasets";
}

Expected<std::vector<Shot>> shots_by_number(const std::vector<Shot>& pool,
                                            const std::vector<int>& misconfig_numbers,
                                            const std::vector<int>& valid_numbers) {
    std::vector<Shot> out;
    for (auto [numbers, valid] :
         {std::pair{&misconfig_numbers, false}, std::pair{&valid_numbers, true}}) {
        for (int n : *numbers) {
            auto it = std::ranges::find_if(
                pool, [&](const Shot& s) { return s.valid == valid && s.id == std::to_string(n); });
            if (it == pool.end())
                return fail(std::string("no ") + (valid ? "valid" : "misconfig") + " shot " +
                            std::to_string(n));
            out.push_back(*it);
        }
    }
    return out;
}

}  // namespace ciri
