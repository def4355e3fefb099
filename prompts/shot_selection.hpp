// Which shots go into a prompt: how many of each kind, picked by one of three strategies,
// borrowed from a like system when the file's system has none.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/error.hpp"
#include "parsers/config_file.hpp"
#include "prompts/shot_pool.hpp"

namespace ciri {

/// How shots are picked.
struct SelectionOptions {
    /// "random": uniform, reproducible from `seed` and the file's text (the paper's way);
    /// "similarity": the shots whose keys share most name tokens with the file's;
    /// "category": misconfigurations of as many different categories as the count allows,
    ///             the most similar shot of each category first.
    /// "stable": the same shots for every file of a system (the most typical of its pool,
    ///             categories round robin), more than the counts when needed to reach
    ///             `stable_min_tokens` (their configs and answers, as ciri's template shows
    ///             them), so providers cache the prompt's prefix across files.
    std::string strategy = "category";
    int valid_shots = 1;      ///< --valid-shots; the paper uses 1
    int misconfig_shots = 3;  ///< --misconfig-shots; the paper uses 3
    uint64_t seed = 0;        ///< --seed, for "random"
    /// "stable": shots are added until their estimated tokens reach this: OpenAI caches
    /// prompt prefixes of 1,024 tokens and more, Anthropic's models from 1,024 or 2,048.
    size_t stable_min_tokens = 1024;
    /// The shots are shown in the compact view (--file-view compact): "stable" counts their
    /// tokens as shown, so the prefix still reaches `stable_min_tokens`.
    bool compact = false;
};

/// The chosen shots and what the choice had to do to get them.
struct ShotSelection {
    std::vector<Shot> shots;  ///< misconfigured shots first, then valid ones (the artifact's order)
    std::string borrowed_from;       ///< the system whose shots were used when not the file's own
    std::vector<std::string> notes;  ///< e.g. borrowing, a pool smaller than asked
};

/// The strategy names select_shots() accepts.
const std::vector<std::string>& shot_strategies();

/// Lower-case name tokens of a key: split on `.`, `_`, `-`, `/`, `[`, `]`, spaces and
/// camelCase boundaries ("maxClientCnxns" -> max, client, cnxns); pure numbers dropped.
std::vector<std::string> key_tokens(std::string_view key);

/// The set of name tokens of all `keys`.
std::set<std::string> token_set(const std::vector<std::string>& keys);

/// Cosine similarity of two token sets taken as 0/1 vectors: |a∩b| / sqrt(|a|·|b|);
/// 0 when either is empty. Sets, not counts, so a prefix every key shares ("dfs") counts once.
double token_cosine(const std::set<std::string>& a, const std::set<std::string>& b);

/// The keys of a shot's config, read with the parser of its system's format; empty when
/// the system is unknown or the config does not parse.
std::vector<std::string> shot_keys(const Shot& shot);

/// A pool with what selection needs of each shot computed once.
struct IndexedPool {
    std::vector<Shot> shots;
    std::vector<std::set<std::string>> tokens;  ///< per shot: token_set(shot_keys(shot))
    std::set<std::string> all_tokens;           ///< their union: how alike a whole pool is
    /// Token -> the shots whose keys hold it: a file's similarity to every shot in one pass
    /// over its own tokens (the same figures as token_cosine against each shot).
    std::unordered_map<std::string, std::vector<size_t>> shots_with;
};

/// Indexes `shots` (parses each shot's config once, and sets each one's compact_config).
IndexedPool index_pool(std::vector<Shot> shots);

/// Picks from `pool` for `file`. Never picks a shot whose config is the file's own text.
/// Fails on an unknown strategy or a negative count.
Expected<ShotSelection> select_from_pool(const ConfigFile& file, const IndexedPool& pool,
                                         const SelectionOptions& options);

/// As above, indexing `pool` first.
Expected<ShotSelection> select_from_pool(const ConfigFile& file, const std::vector<Shot>& pool,
                                         const SelectionOptions& options);

/// Loads the file's system's pool from `dir` and picks from it (a run of many files uses one
/// ShotLibrary instead, which reads each pool once). When that pool is empty,
/// borrows from the system of the same format whose shots share most key tokens with the
/// file (the systems table order breaks ties) and says so in a note; with nothing to
/// borrow the selection is empty, with a note. Fails when a pool file is malformed.
Expected<ShotSelection> select_shots(const ConfigFile& file, const std::filesystem::path& dir,
                                     const SelectionOptions& options);

}  // namespace ciri
