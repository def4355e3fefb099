// What is sent to an LLM: the contract between the prompt builder and the backends.
#pragma once

#include <string>

namespace ciri {

/// A built prompt. The static part comes first so providers can cache it across files.
struct Prompt {
    std::string system;  ///< system message; empty for templates that have none
    std::string prefix;  ///< static start of the user message: instructions and shots
    std::string body;    ///< the part that changes per file: the file under test, the question

    /// The whole user message.
    std::string user() const { return prefix + body; }
};

}  // namespace ciri
