// Suppressions: findings a team has decided to live with.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ciri/ciri_config.hpp"
#include "ciri/report/report.hpp"

namespace ciri {

/// A `ciri:ignore <parameter> [reason]` written in a comment of a config file.
struct Suppression {
    std::string parameter;  ///< a key, or a glob over keys (`dfs.*`)
    std::string reason;
    int line = 0;
};

/// Every `ciri:ignore` in a comment (#, //, ;, !, --, <!-- -->) of `text`, in order.
std::vector<Suppression> find_suppressions(std::string_view text);

/// Marks findings of `result` as suppressed when an inline suppression or a config entry
/// (whose glob, if any, matches the file's path) names their parameter. The reason given
/// is kept; without one it says where the suppression came from.
void apply_suppressions(FileResult& result, const std::vector<Suppression>& inline_ones,
                        const std::vector<IgnoreEntry>& configured);

}  // namespace ciri
