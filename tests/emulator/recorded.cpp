#include "tests/emulator/recorded.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace ciri::emulator {
namespace {

namespace fs = std::filesystem;

// Window length of the rolling hash: long enough to be distinctive inside config files.
constexpr std::size_t kWindow = 48;
constexpr std::size_t kAnchorStride = 8;
constexpr std::uint64_t kBase = 1099511628211ull;
constexpr std::size_t kFilterBits = 1 << 16;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n\f\v";
    auto begin = text.find_first_not_of(kSpace);
    if (begin == std::string_view::npos) return {};
    auto end = text.find_last_not_of(kSpace);
    return text.substr(begin, end - begin + 1);
}

std::uint64_t base_power() {
    std::uint64_t power = 1;
    for (std::size_t i = 0; i + 1 < kWindow; ++i) power *= kBase;
    return power;
}

// Calls visit(offset, hash) for every kWindow-byte window of `text`.
template <class Visit>
void for_each_window(std::string_view text, Visit&& visit) {
    if (text.size() < kWindow) return;
    static const std::uint64_t kTopPower = base_power();
    std::uint64_t hash = 0;
    for (std::size_t i = 0; i < kWindow; ++i)
        hash = hash * kBase + static_cast<unsigned char>(text[i]);
    for (std::size_t offset = 0;; ++offset) {
        visit(offset, hash);
        if (offset + kWindow >= text.size()) break;
        hash -= static_cast<unsigned char>(text[offset]) * kTopPower;
        hash = hash * kBase + static_cast<unsigned char>(text[offset + kWindow]);
    }
}

std::string python_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += python_repr(items[i]);
    }
    return out + "]";
}

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.emplace_back(line);
        start = end + 1;
    }
    return lines;
}

// "There are 2 misconfiguration parameters in the input: p1<TAB>p2" + "[Ciri] Reason for p: r".
std::string final_result_as_dict(const std::vector<std::string>& lines) {
    constexpr std::string_view kNoError = "{'hasError': False, 'errParameter': [], 'reason': []}";
    if (lines.empty() || !lines.front().starts_with("There are ")) return std::string(kNoError);
    auto colon = lines.front().find(": ");
    if (colon == std::string::npos) return std::string(kNoError);
    std::vector<std::string> parameters;
    std::string_view list = std::string_view(lines.front()).substr(colon + 2);
    while (!list.empty()) {
        auto tab = list.find('\t');
        std::string_view parameter = trim(list.substr(0, tab));
        if (!parameter.empty()) parameters.emplace_back(parameter);
        if (tab == std::string_view::npos) break;
        list.remove_prefix(tab + 1);
    }
    if (parameters.empty()) return std::string(kNoError);
    std::vector<std::string> reasons;
    for (const std::string& parameter : parameters) {
        std::string prefix = "[Ciri] Reason for " + parameter + ": ";
        std::string reason;
        for (const std::string& line : lines) {
            if (line.starts_with(prefix)) {
                reason = line.substr(prefix.size());
                break;
            }
        }
        reasons.push_back(reason);
    }
    return "{'hasError': True, 'errParameter': " + python_list(parameters) +
           ", 'reason': " + python_list(reasons) + "}";
}

}  // namespace

std::string python_repr(std::string_view text) {
    bool has_single = text.find('\'') != std::string_view::npos;
    bool has_double = text.find('"') != std::string_view::npos;
    char quote = has_single && !has_double ? '"' : '\'';
    std::string out(1, quote);
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '\\') {
            out += "\\\\";
        } else if (c == quote) {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7f) {
            char buffer[5];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", u);
            out += buffer;
        } else {
            out += c;
        }
    }
    return out + quote;
}

std::vector<std::string> recorded_answers(std::string_view result_text) {
    enum class Section { other, raw, final };
    Section section = Section::other;
    std::vector<std::string> raw;
    std::vector<std::string> final_lines;
    for (const std::string& line : split_lines(result_text)) {
        if (line.starts_with("Raw json:")) {
            section = Section::raw;
        } else if (line.starts_with("Final result:")) {
            section = Section::final;
        } else if (line.starts_with("Wrong shot number:") ||
                   line.starts_with("Correct shot number:")) {
            section = Section::other;
        } else if (!trim(line).empty()) {
            if (section == Section::raw) raw.push_back(line);
            if (section == Section::final) final_lines.push_back(line);
        }
    }
    if (!raw.empty()) return raw;
    if (final_lines.empty()) return {};
    return {final_result_as_dict(final_lines)};
}

RecordedAnswers::RecordedAnswers(const fs::path& results_dir, const std::string& model,
                                 const std::string& mode, const fs::path& datasets_dir) {
    if (!fs::is_directory(results_dir)) {
        throw std::runtime_error("recorded results not found: " + results_dir.string());
    }
    if (!fs::is_directory(datasets_dir)) {
        throw std::runtime_error("datasets not found: " + datasets_dir.string());
    }
    // Sorted so file indices (and so tie-breaks) do not depend on directory order.
    std::map<std::string, fs::path> results;
    for (const auto& system : fs::directory_iterator(results_dir)) {
        for (const char* kind : {"correct", "erroneous"}) {
            fs::path dir = system.path() / model / mode / kind;
            if (!fs::is_directory(dir)) continue;
            for (const auto& entry : fs::directory_iterator(dir)) {
                if (!entry.is_regular_file()) continue;
                std::string name = system.path().filename().string() + "/" + kind + "/" +
                                   entry.path().filename().string();
                results.emplace(name, entry.path());
            }
        }
    }
    for (const auto& [name, path] : results) {
        fs::path dataset_file = datasets_dir / name;
        if (!fs::is_regular_file(dataset_file)) continue;
        std::vector<std::string> answers = recorded_answers(read_file(path));
        if (answers.empty()) continue;
        std::string text(trim(read_file(dataset_file)));
        if (text.empty()) continue;
        files_.push_back({name, std::move(text), std::move(answers)});
    }
    if (files_.empty()) {
        throw std::runtime_error("no recorded results for model '" + model + "' in mode '" + mode +
                                 "' under " + results_dir.string());
    }
    positions_.assign(files_.size(), 0);
    build_index();
}

void RecordedAnswers::build_index() {
    // How many files contain each sampled window, to anchor every file on its rarest one.
    std::unordered_map<std::uint64_t, std::pair<std::size_t, std::size_t>>
        seen;  // hash -> files, last
    for (std::size_t f = 0; f < files_.size(); ++f) {
        for_each_window(files_[f].text, [&](std::size_t offset, std::uint64_t hash) {
            if (offset % kAnchorStride) return;
            auto [it, fresh] = seen.try_emplace(hash, 1, f);
            if (!fresh && it->second.second != f) {
                ++it->second.first;
                it->second.second = f;
            }
        });
    }
    filter_.assign(kFilterBits / 64, 0);
    for (std::size_t f = 0; f < files_.size(); ++f) {
        if (files_[f].text.size() < kWindow) {
            short_files_.push_back(f);
            continue;
        }
        std::size_t best_offset = 0, best_count = SIZE_MAX;
        std::uint64_t best_hash = 0;
        for_each_window(files_[f].text, [&](std::size_t offset, std::uint64_t hash) {
            if (offset % kAnchorStride) return;
            std::size_t count = seen.at(hash).first;
            if (count < best_count) {
                best_count = count;
                best_offset = offset;
                best_hash = hash;
            }
        });
        anchors_[best_hash].push_back({f, best_offset});
        filter_[(best_hash >> 48) / 64] |= 1ull << ((best_hash >> 48) % 64);
    }
}

std::optional<std::size_t> RecordedAnswers::find_file(std::string_view prompt) const {
    std::optional<std::size_t> best;
    auto consider = [&](std::size_t f) {
        if (!best || files_[f].text.size() > files_[*best].text.size()) best = f;
    };
    for_each_window(prompt, [&](std::size_t position, std::uint64_t hash) {
        if (!(filter_[(hash >> 48) / 64] >> ((hash >> 48) % 64) & 1)) return;
        auto it = anchors_.find(hash);
        if (it == anchors_.end()) return;
        for (const Anchor& anchor : it->second) {
            const std::string& text = files_[anchor.file].text;
            if (position < anchor.offset) continue;
            std::size_t start = position - anchor.offset;
            if (start + text.size() > prompt.size()) continue;
            if (std::memcmp(prompt.data() + start, text.data(), text.size()) == 0)
                consider(anchor.file);
        }
    });
    for (std::size_t f : short_files_) {
        if (prompt.find(files_[f].text) != std::string_view::npos) consider(f);
    }
    return best;
}

std::string RecordedAnswers::next(std::size_t file) {
    const File& f = files_.at(file);
    std::size_t position;
    {
        std::lock_guard lock(mutex_);
        position = positions_[file]++;
    }
    return f.answers[position % f.answers.size()];
}

void RecordedAnswers::rewind() {
    std::lock_guard lock(mutex_);
    positions_.assign(files_.size(), 0);
}

}  // namespace ciri::emulator
