// The validate pipeline: parse -> prompt -> query -> aggregate -> report, for many files.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "aggregator/answer.hpp"
#include "aggregator/vote.hpp"
#include "ciri/ciri_config.hpp"
#include "ciri/backends/llm_client.hpp"
#include "ciri/report/report.hpp"
#include "ciri/rules/check.hpp"
#include "parsers/load.hpp"
#include "prompts/prompt_builder.hpp"

namespace ciri {

/// One LLM taking part in the vote.
struct Voter {
    ModelSpec spec;
    double weight = 1;
};

/// Everything a run needs to know; the CLI fills it from flags and .ciri.yaml.
struct ValidateOptions {
    std::vector<Voter> models;  ///< LLM voters; empty = the rules voter alone
    int samples = 3;            ///< answers wanted from each LLM per file (chunk)
    double temperature = 0.2;
    int max_tokens = 1024;
    /// Extra samples an LLM may be asked for, per file, to replace invalid answers.
    int invalid_retries = 3;
    /// Ask one-sample-per-request backends for a majority first and the rest only when it
    /// could still change their vote.
    bool early_stop = true;
    VoteOptions vote;
    /// LLMs that must answer a file (chunk) for it to be called valid; 0 = every configured one.
    /// A file some LLM did not answer is at best inconclusive below this (never falsely valid).
    int quorum = 0;
    /// The paper's answer rules; CheckRules::ciri_artifact() is what the artifact's Ciri enforced.
    CheckRules check;
    PromptOptions prompt;
    bool redact = true;  ///< replace secret-looking values before anything leaves the machine
    bool rules = true;   ///< the rules voter takes part
    RulesVoterConfig rules_voter;
    std::vector<std::filesystem::path> spec_paths;  ///< --spec, before the shipped tables
    /// Facts the files do not hold (--context, `context:`), for the rules and the report notes.
    std::map<std::string, std::string> context;
    /// Files checked together as one job (--job, `jobs:`), as paths or globs; see group_jobs.
    std::vector<std::vector<std::string>> jobs;
    /// The files of one directory are one job too (when their systems say so; see group_jobs).
    bool directory_jobs = true;
    LoadOptions load;  ///< --format/--system/--sys-version and limits, for every file
    std::vector<SystemMapping> mappings;  ///< glob -> system/version, from .ciri.yaml
    std::vector<IgnoreEntry> ignore;      ///< suppressions from .ciri.yaml
    std::string stdin_text;               ///< the bytes of "-", read by the caller
    std::string stdin_name = "<stdin>";   ///< what "-" is called in detection and reports
    /// Called from the calling thread as files finish: (done, total).
    std::function<void(size_t, size_t)> progress;
    /// Called on the calling thread with each file's final result, in input order, as soon as
    /// it and every file before it are done (-f jsonl writes it then).
    std::function<void(const FileResult&)> on_file;
    /// Files in flight at most (read, not yet finished), give or take one batch of the files
    /// read together (about window/16, at most 128, more when one folder's files are more):
    /// memory stays bounded however long the run; files are read as others finish. 0 = all
    /// files at once.
    size_t window = 2000;
    /// The run's end (--deadline; give the client the same one): a file not finished by then is
    /// reported at best inconclusive, never valid, with a note; max() = none.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

/// Validates `paths` (already expanded, see file_walk.hpp). A file that cannot be read or
/// parsed gets Outcome::error and the others go on; a backend that fails is counted and the
/// vote goes on without it (a file without quorum is inconclusive, never valid). Requests of
/// all files share the client's per-backend limits, so wall time follows
/// requests / in-flight limit x latency. Throws UserError only for run-wide problems (a bad
/// template or shot pool, an unusable --spec).
RunReport validate_files(const std::vector<std::string>& paths, const ValidateOptions& options,
                         LlmClient& client);

/// The note a file of undetected software carries: what was (not) checked and how to name the
/// system, for a run with LLMs (`with_llm`), the rules voter (`with_rules`) or both.
std::string undetected_system_note(bool with_llm, bool with_rules);

/// The exit code for a finished run: 2 when a file could not be read, else 1 when a verdict in
/// `fail_on` (default misconfigured) is misconfigured, 3 when one is inconclusive, else 0.
int exit_code_for(const RunReport& report, const std::vector<std::string>& fail_on);

}  // namespace ciri
