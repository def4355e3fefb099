// The `rules` backend: the rules voter behind the Backend interface, so anything that speaks to
// backends (ask, votes, recorded comparisons) can use it. It finds the file under test in the
// prompt, parses it and answers with check_file's JSON. The validate pipeline calls check_file
// directly instead, on the file it already parsed.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "ciri/backends/backend.hpp"
#include "ciri/rules/check.hpp"
#include "parsers/detect.hpp"
#include "parsers/load.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

struct FoundFile {
    std::string text;
    std::string format;  ///< as the prompt names it ("(properties format)"); "" when it does not
};

// The file in a prompt body: the first fenced block (ciri's template), else the text before
// the "Question:" line after the last fence (the paper's template, whose shots end in fences).
std::optional<FoundFile> find_file(std::string_view body) {
    FoundFile out;
    if (size_t f = body.find(" format):"); f != std::string_view::npos) {
        size_t open = body.rfind('(', f);
        if (open != std::string_view::npos) out.format = std::string(body.substr(open + 1, f - open - 1));
    }
    auto lines = split_lines(body);
    size_t question = lines.size();
    for (size_t i = 0; i < lines.size(); ++i)
        if (lines[i].text.starts_with("Question:")) question = i;
    if (question == lines.size()) {
        for (size_t i = 0; i < lines.size(); ++i) {
            if (!trim(lines[i].text).starts_with("```")) continue;
            std::string text;
            for (size_t j = i + 1; j < lines.size(); ++j) {
                if (trim(lines[j].text).starts_with("```")) {
                    out.text = std::move(text);
                    return out;
                }
                text += std::string(lines[j].text) + "\n";
            }
            return std::nullopt;
        }
        return std::nullopt;
    }
    size_t start = 0;
    for (size_t i = 0; i < question; ++i)
        if (trim(lines[i].text).starts_with("```")) start = i + 1;
    for (size_t i = start; i < question; ++i) out.text += std::string(lines[i].text) + "\n";
    if (is_blank(out.text)) return std::nullopt;
    return out;
}

class RulesBackend : public Backend {
public:
    explicit RulesBackend(ModelSpec spec) : spec_(std::move(spec)) {}

    const ModelSpec& spec() const override { return spec_; }
    bool is_local() const override { return true; }
    HttpRequest build_request(const LlmRequest&, int) const override { return {}; }
    Expected<ParsedReply> parse_reply(std::string_view) const override {
        return fail("the rules backend does not speak HTTP");
    }

    LlmResponse run_local(const LlmRequest& req, std::chrono::steady_clock::time_point) const override {
        auto started = std::chrono::steady_clock::now();
        LlmResponse r;
        r.attempts = 1;
        auto bad = [&](std::string msg) {
            r.error = ErrorKind::bad_request;
            r.error_message = std::move(msg);
            return r;
        };
        auto found = find_file(req.prompt.body);
        if (!found) found = find_file(req.prompt.user());
        if (!found) return bad("rules: no configuration file found in the prompt");
        LoadOptions options;
        options.format = found->format.empty() ? detect_format("", found->text) : found->format;
        if (spec_.model != "auto" && !spec_.model.empty()) options.system = spec_.model;
        auto file = load_config_bytes("prompt", found->text, options);
        if (!file) return bad("rules: " + file.error().message);
        const Expected<SpecSet>& spec = spec_for(file->system);
        if (!spec) return bad("rules: " + spec.error().format());
        r.samples.push_back(check_file(*file, *spec).answer_json());
        r.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        return r;
    }

private:
    // Each system's spec tables are read once per backend (so once per run), then shared.
    const Expected<SpecSet>& spec_for(const std::string& system) const {
        std::lock_guard lock(specs_mu_);
        auto& slot = specs_[system];
        if (!slot) slot = std::make_unique<Expected<SpecSet>>(load_spec_set(system));
        return *slot;
    }

    ModelSpec spec_;
    mutable std::mutex specs_mu_;
    mutable std::map<std::string, std::unique_ptr<Expected<SpecSet>>> specs_;  // never erased
};

}  // namespace

Expected<std::unique_ptr<Backend>> make_rules_backend(const ModelSpec& spec, const BackendConfig&) {
    return std::make_unique<RulesBackend>(spec);
}

}  // namespace ciri
