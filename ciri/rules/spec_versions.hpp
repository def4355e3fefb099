// Versions of a spec table: what changed between two versions of a system's documented
// parameters (`ciri spec diff`), and one table whose rows carry since/until from both.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ciri/rules/spec.hpp"

namespace ciri {

/// What changed from an older table to a newer one.
struct SpecDiff {
    std::vector<std::string> added;    ///< rows only the newer table has
    std::vector<std::string> removed;  ///< rows only the older table has
    /// (old name, new name): a removed and an added row with the same default and type and
    /// names sharing most of their words. A guess: the documents do not say it was a rename.
    std::vector<std::pair<std::string, std::string>> renamed;
};

/// The rows added, removed and (probably) renamed from `older` to `newer`, each list in name
/// order; a renamed pair is listed in neither added nor removed.
SpecDiff diff_specs(const SpecSet& older, const SpecSet& newer);

/// `newer` (the table of `newer_version`) with version columns from both: a row only `newer`
/// has gets since = newer_version (the older document lacks it, so it came after that version:
/// an approximation when versions lie between the two); a row only `older` has is kept with
/// until = newer_version (gone by then); a row both have keeps the older row's since. Columns
/// already set are kept.
SpecSet merge_versions(const SpecSet& older, const SpecSet& newer, std::string_view newer_version);

}  // namespace ciri
