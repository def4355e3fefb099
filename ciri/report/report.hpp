// What a validation run found: the model every reporter renders.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aggregator/vote.hpp"

namespace ciri {

/// What became of a file: the aggregator's verdict, or an error when it could not be read.
enum class Outcome { valid, misconfigured, inconclusive, error };

/// "valid", "misconfigured", "inconclusive" or "error".
const char* to_string(Outcome outcome);

/// A finding as reported: the aggregator's Finding plus whether a suppression dropped it.
struct ReportedFinding : Finding {
    std::string suppressed;  ///< why it was suppressed ("" = not suppressed)
    bool secret = false;     ///< the value holds a secret: reports print `<redacted>` (see shown_value)
    /// "syntax" for a line the file's parser could not read (no vote: the parser is
    /// certain); "" for a finding the voters agreed on.
    std::string kind;
    /// LLMs that read this parameter and called it fine while a certain rules finding stood on
    /// its own (--rules-decisive): reports name them, so the disagreement is never hidden.
    std::vector<std::string> dissent;
};

/// The outcome for one file.
struct FileResult {
    std::string path;
    std::string system;
    std::string version;
    std::string format;
    int param_count = 0;  ///< parameters in the file
    Outcome verdict = Outcome::valid;
    std::vector<ReportedFinding> findings;    ///< reported and suppressed alike; see ReportedFinding::suppressed
    std::vector<std::string> notes;   ///< e.g. "borrowed shots from hdfs", "backend x down"
    std::string error;                ///< set when verdict == error (file unreadable, ...)
    int error_line = 0;
    /// Parameters (key, line) whose values redaction found secret, and those secrets; never
    /// printed, they tell reporters what to mask.
    std::vector<std::pair<std::string, int>> secret_params;
    std::vector<std::string> secrets;

    /// True when the parameter `key` at `line` holds a secret.
    bool is_secret(const std::string& key, int line) const;

    /// Findings that are not suppressed.
    std::vector<const ReportedFinding*> active() const;
};

/// Requests and spend of a run, summed over backends.
struct RunUsage {
    long requests = 0;
    long cached_requests = 0;
    long prompt_tokens = 0;
    long completion_tokens = 0;
    long cached_prompt_tokens = 0;
    long cache_write_prompt_tokens = 0;  ///< prompt tokens written to the provider's cache (Anthropic bills them at a premium)
    double cost_usd = 0;
    long saved_requests = 0;  ///< samples not requested because the vote was settled
    long answers = 0;  ///< answers received from LLMs, valid or not
    long invalid_answers = 0;
    long reported = 0;  ///< parameters named by valid answers, before the hallucination filter
    long hallucinated = 0;
};

/// One LLM backend's share of a run: what it was sent and what the provider billed.
struct BackendUsage {
    std::string model;  ///< the model spec
    long requests = 0;  ///< LLM requests, cache hits included
    long cached_requests = 0;  ///< answered from ciri's response cache: not sent, not billed
    long prompt_tokens = 0;
    long cached_prompt_tokens = 0;  ///< prompt tokens the provider read from its prefix cache
    long completion_tokens = 0;
    std::optional<double> cost_usd;  ///< estimated; nullopt when the model has no price
    long cache_write_prompt_tokens = 0;  ///< prompt tokens written to the provider's prefix cache
};

/// A file or folder a directory walk did not read, and why.
struct SkippedFile {
    std::string path;
    std::string reason;  ///< e.g. "ignored by .gitignore", "binary", "unreadable folder: ..."
};

/// A whole run.
struct RunReport {
    std::vector<FileResult> files;
    RunUsage usage;
    std::vector<BackendUsage> backends;  ///< per LLM backend, in the order configured
    std::vector<std::string> backends_down;
    double wall_seconds = 0;
    std::vector<SkippedFile> skipped;  ///< what the directory walk left out
    /// Files the run's deadline (--deadline) cut short: none of them is reported valid.
    int unfinished = 0;

    /// How many paths were skipped for each reason (a reason's text before any ':').
    std::map<std::string, int> skipped_counts() const;

    /// How many files have each verdict.
    int count(Outcome v) const;
    /// Number of suppressed findings over all files.
    int suppressed() const;
};

}  // namespace ciri
