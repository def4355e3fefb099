// Errors: expected failures are values, user-facing failures are one exception type.
#pragma once

#include <expected>
#include <stdexcept>
#include <string>
#include <utility>

namespace ciri {

/// An expected failure (bad input, a failed request), carried as a value.
/// `line` is 1-based; 0 means the failure is not tied to a line.
struct Error {
    std::string message;
    int line = 0;
    std::string path;

    /// Renders as `path:line: error: message`, leaving out the parts that are unknown.
    std::string format() const {
        std::string out;
        if (!path.empty()) out += path + ":";
        if (line > 0) out += std::to_string(line) + ":";
        if (!out.empty()) out += " ";
        return out + "error: " + message;
    }
};

/// A value or the Error that explains why there is none.
template <class T>
using Expected = std::expected<T, Error>;

/// Shorthand for returning an Error from a function that returns Expected<T>.
inline std::unexpected<Error> fail(std::string message, int line = 0) {
    return std::unexpected(Error{std::move(message), line, {}});
}

/// Process exit codes; documented in `ciri --help` and the README.
enum ExitCode : int {
    kExitOk = 0,            ///< everything valid
    kExitMisconfigured = 1, ///< a misconfiguration was found
    kExitUsage = 2,         ///< usage or input error
    kExitInconclusive = 3,  ///< no verdict could be reached (backend down, no quorum)
};

/// The one exception type for failures the user must see; main() catches it and
/// prints `ciri: error: <what>` and exits with `exit_code`.
class UserError : public std::runtime_error {
public:
    explicit UserError(const std::string& what, int exit_code = kExitUsage)
        : std::runtime_error(what), exit_code_(exit_code) {}
    int exit_code() const { return exit_code_; }

private:
    int exit_code_;
};

}  // namespace ciri
