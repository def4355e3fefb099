// What a validation run found: the model every reporter renders.
#pragma once

#include <string>
#include <vector>

namespace ciri {

enum class Verdict { valid, misconfigured, inconclusive, error };

/// "valid", "misconfigured", "inconclusive" or "error".
const char* to_string(Verdict v);

/// One reported parameter.
struct Finding {
    std::string parameter;  ///< the file's own key
    int line = 0;
    std::string value;
    std::string reason;
    double votes = 0;       ///< weight that agreed
    double total = 0;       ///< weight that answered
    std::vector<std::string> voters;  ///< backends that agreed
    std::string suppressed;  ///< why it was suppressed ("" = not suppressed)
};

/// The outcome for one file.
struct FileResult {
    std::string path;
    std::string system;
    std::string version;
    std::string format;
    Verdict verdict = Verdict::valid;
    std::vector<Finding> findings;    ///< reported and suppressed alike; see Finding::suppressed
    std::vector<std::string> notes;   ///< e.g. "borrowed shots from hdfs", "backend x down"
    std::string error;                ///< set when verdict == error (file unreadable, ...)
    int error_line = 0;

    /// Findings that are not suppressed.
    std::vector<const Finding*> active() const;
};

/// Requests and spend of a run, summed over backends.
struct Usage {
    long requests = 0;
    long cached_requests = 0;
    long prompt_tokens = 0;
    long completion_tokens = 0;
    long cached_prompt_tokens = 0;
    double cost_usd = 0;
    long saved_requests = 0;  ///< samples not requested because the vote was settled
    long invalid_answers = 0;
    long hallucinated = 0;
};

/// A whole run.
struct RunReport {
    std::vector<FileResult> files;
    Usage usage;
    std::vector<std::string> backends_down;
    double wall_seconds = 0;

    /// How many files have each verdict.
    int count(Verdict v) const;
    /// Number of suppressed findings over all files.
    int suppressed() const;
};

}  // namespace ciri
