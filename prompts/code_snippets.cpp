#include "prompts/code_snippets.hpp"

#include <algorithm>
#include <set>

#include "prompts/prompt_builder.hpp"

namespace ciri {

namespace {

constexpr size_t kReadsPerKey = 2;

std::string fence_lang(std::string_view file) {
    std::string lang = code_language(std::string(file));
    if (lang == "c") return file.ends_with(".c") || file.ends_with(".h") ? "c" : "cpp";
    return lang;
}

}  // namespace

std::vector<const CodeRead*> code_reads_for(const CodeIndex& index, std::string_view key, std::string_view format) {
    auto reads = index.find(key);
    bool sectioned = format == "ini" || format == "conf" || format == "toml";
    if (reads.empty() && sectioned && key.find('.') != std::string_view::npos)
        reads = index.find(key.substr(key.find('.') + 1));
    // Checked reads first; a subscript (`x["key"]`) is weaker evidence than a reader call.
    std::ranges::stable_sort(reads, [](const CodeRead* a, const CodeRead* b) {
        bool sa = a->call.ends_with("[]"), sb = b->call.ends_with("[]");
        if (a->checks.empty() != b->checks.empty()) return !a->checks.empty();
        return !sa && sb;
    });
    return reads;
}

std::string render_code_read(const CodeRead& r) {
    std::string head = "- `" + r.key + "`, read at " + r.file + ":" + std::to_string(r.line);
    if (!r.constant.empty()) head += " through " + r.constant;
    head += " by " + r.call;
    if (!r.conversion.empty()) head += ", as " + r.conversion;
    if (!r.fallback.empty()) head += ", default " + r.fallback;
    if (!r.checks.empty())
        head += ", " + std::to_string(r.checks.size()) + (r.checks.size() == 1 ? " check" : " checks");
    // A control dependency the code shows: the key matters only when its guards' checks pass.
    if (!r.guards.empty()) {
        head += ", read only under a check of";
        for (size_t i = 0; i < r.guards.size(); ++i) head += (i ? ", `" : " `") + r.guards[i] + "`";
    }
    std::string body;
    for (const auto& l : r.lines) body += l + "\n";
    std::string fence = body.find("```") == std::string::npos ? "```" : "~~~~";
    return head + ":\n" + fence + fence_lang(r.file) + "\n" + body + fence;
}

CodeExcerpts choose_code_excerpts(const CodeIndex& index, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& other_keys, std::string_view format,
                                  size_t max_tokens) {
    CodeExcerpts out;
    std::set<const CodeRead*> seen;
    for (const auto* group : {&keys, &other_keys}) {
        // Within a group, the reads with checks say the most: they go first.
        std::vector<const CodeRead*> checked, plain;
        for (const auto& key : *group) {
            auto reads = code_reads_for(index, key, format);
            for (size_t i = 0; i < reads.size() && i < kReadsPerKey; ++i) {
                if (!seen.insert(reads[i]).second) continue;
                (reads[i]->checks.empty() ? plain : checked).push_back(reads[i]);
            }
        }
        for (const auto* list : {&checked, &plain})
            for (const CodeRead* r : *list) {
                ++out.found;
                std::string next = (out.text.empty() ? "" : out.text + "\n") + render_code_read(*r);
                if (estimate_tokens(next) > max_tokens) continue;  // a smaller one may still fit
                out.text = std::move(next);
                ++out.shown;
            }
    }
    return out;
}

}  // namespace ciri
