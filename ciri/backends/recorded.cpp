// `recorded/<model>[:<mode>][:final]@<answers.jsonl>`: answers a prompt with what the model
// answered, in the paper's artifact, for the dataset file the prompt holds. No LLM is called.
#include <map>
#include <mutex>

#include "ciri/backends/backend.hpp"
#include "ciri/backends/recorded_answers.hpp"
#include "base/sha256.hpp"

namespace ciri {

namespace {

class RecordedBackend : public Backend {
public:
    RecordedBackend(ModelSpec spec, RecordedModel model, std::shared_ptr<const RecordedAnswers> answers)
        : spec_(std::move(spec)), model_(std::move(model)), answers_(std::move(answers)) {}

    const ModelSpec& spec() const override { return spec_; }
    bool is_local() const override { return true; }

    HttpRequest build_request(const LlmRequest&, int) const override { return {}; }
    Expected<ParsedReply> parse_reply(std::string_view) const override {
        return fail("the recorded backend speaks no HTTP");
    }

    // The client calls this once per sample; successive calls for one prompt walk through the
    // recorded answers of the deciding round and wrap around, so asking for a multiple of their
    // number keeps every vote share exactly as recorded.
    LlmResponse run_local(const LlmRequest& req, std::chrono::steady_clock::time_point) const override {
        LlmResponse r;
        r.attempts = 1;
        const std::string text = req.prompt.system + "\n" + req.prompt.user();
        const RecordedRecord* rec = answers_->find_in_text(model_.model, model_.mode, text);
        if (!rec) {
            r.error = ErrorKind::bad_request;
            // The file is found by its raw text, which the compact view does not show.
            r.error_message = "no recorded answer of " + model_.model +
                              " for this prompt's file (recorded answers need --file-view raw)";
            return r;
        }
        if (model_.final) {
            r.samples.push_back(rec->final_answer());
            return r;
        }
        const auto& round = rec->deciding_round();
        if (round.empty()) {
            r.error = ErrorKind::bad_response;
            r.error_message = "the recorded result of " + rec->item_id() + " holds no raw answer";
            return r;
        }
        size_t turn;
        {
            std::lock_guard lock(mu_);
            turn = turns_[sha256_hex(text)]++;
        }
        r.samples.push_back(round[turn % round.size()]);
        return r;
    }

private:
    ModelSpec spec_;
    RecordedModel model_;
    std::shared_ptr<const RecordedAnswers> answers_;
    mutable std::mutex mu_;
    mutable std::map<std::string, size_t> turns_;  // prompt hash -> samples given so far
};

}  // namespace

Expected<std::unique_ptr<Backend>> make_recorded_backend(const ModelSpec& spec, const BackendConfig&) {
    auto parts = parse_recorded_spec(spec.model);
    if (!parts) return std::unexpected(parts.error());
    auto answers = RecordedAnswers::shared(parts->second);
    if (!answers) return std::unexpected(answers.error());
    if ((*answers)->modes(parts->first.model).empty())
        return fail("'" + parts->second.string() + "' has no answers of model '" + parts->first.model + "'");
    return std::make_unique<RecordedBackend>(spec, parts->first, *answers);
}

}  // namespace ciri
