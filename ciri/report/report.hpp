// What a validation run found: the model every reporter renders.
#pragma once

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
    double cost_usd = 0;
    long saved_requests = 0;  ///< samples not requested because the vote was settled
    long answers = 0;  ///< answers received from LLMs, valid or not
    long invalid_answers = 0;
    long reported = 0;  ///< parameters named by valid answers, before the hallucination filter
    long hallucinated = 0;
};

/// A whole run.
struct RunReport {
    std::vector<FileResult> files;
    RunUsage usage;
    std::vector<std::string> backends_down;
    double wall_seconds = 0;

    /// How many files have each verdict.
    int count(Outcome v) const;
    /// Number of suppressed findings over all files.
    int suppressed() const;
};

}  // namespace ciri
