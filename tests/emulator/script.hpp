// --script FILE: rules that decide answers and faults for prompts that match them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/emulator/chat.hpp"
#include "tests/emulator/faults.hpp"

namespace ciri::emulator {

/// One scripted response: an answer, a fault, or (for slow) both.
struct ScriptItem {
    std::optional<std::string> answer;
    std::optional<Fault> fault;
};

/// A rule: which requests it applies to and the responses they consume in order.
struct ScriptRule {
    std::string match;                ///< substring, or /regex/
    std::optional<std::regex> regex;  ///< set when match is /regex/
    std::optional<std::string> endpoint;
    std::optional<std::string> model;
    std::vector<ScriptItem> responses;  ///< never empty
    bool cycle = false;                 ///< "then": "cycle" (else "repeat_last")
};

/// The rules of a script file and how far each has been consumed (thread-safe).
class Script {
  public:
    /// Parses {"rules":[...],"default":"..."}; throws std::runtime_error naming the bad part.
    explicit Script(const nlohmann::json& document);

    /// Reads and parses a script file; throws std::runtime_error when unreadable or invalid.
    static nlohmann::json read_file(const std::filesystem::path& path);

    /// The first rule that applies to `request` (match in the prompt, endpoint, model).
    std::optional<std::size_t> find_rule(const ChatRequest& request) const;

    /// Consumes and returns the rule's next response (repeat_last or cycle after the last).
    ScriptItem next(std::size_t rule);

    /// The script's "default" answer, if it has one.
    const std::optional<std::string>& default_answer() const { return default_; }

    /// Rewinds every rule to its first response.
    void rewind();

    std::size_t size() const { return rules_.size(); }

  private:
    std::vector<ScriptRule> rules_;
    std::optional<std::string> default_;
    std::mutex mutex_;
    std::vector<std::size_t> consumed_;
};

}  // namespace ciri::emulator
