// Keeps only reported parameters that exist in the file under test.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aggregator/answer.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// An answer whose parameters are tied to the file's own parameters.
struct GroundedAnswer {
    /// The answer with each parameter renamed to the file's key, unknown parameters (and their
    /// reasons) removed, and repeats of one file key merged into the first. An answer left with
    /// no parameter says hasError false.
    Answer answer;
    /// Parallel to answer.params: the file's parameter (key, value, line). Empty when the answer
    /// was not grounded in a file (see ungrounded).
    std::vector<Parameter> matched;
    /// Reported names that match no parameter of the file, or several equally well.
    std::vector<std::string> dropped;
};

/// Canonical form used to compare names: lowercase, quotes and backticks removed, every run of
/// separators (. _ - space / : [ ]) turned into one '.', and a trailing "= value" cut off.
std::string normalize_param_name(std::string_view name);

/// Matches each reported parameter to a parameter of `file`: exactly, else after
/// normalize_param_name, else after also removing the section/scope prefix (Parameter::section)
/// from the file's key or from the reported name. The first file parameter with that key wins
/// for exact and normalized matches; a name that fits several keys only after removing the
/// section is ambiguous and dropped. A name that matches no key but is a prefix of keys (a
/// block or list: `zero_optimization` for `zero_optimization.stage`, `log-outputs` for
/// `log-outputs[0]`, in any case or separator style) maps to every key under it, in file
/// order; only names that match nothing are dropped. Reasons follow their parameter.
GroundedAnswer filter_hallucinations(const Answer& answer, const ConfigFile& file);

/// Wraps an answer without a file (no filter): `matched` holds only the reported names.
GroundedAnswer ungrounded(const Answer& answer);

}  // namespace ciri
