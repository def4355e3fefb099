// Spec tables (params.tsv): what each parameter of a system takes, and the constraints
// between parameters. Written by hand for the systems we ship, or learned (learn.hpp).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "ciri/rules/arguments.hpp"
#include "ciri/rules/value.hpp"

namespace ciri {

/// One row of a spec table.
///
/// TSV columns: name, type, default, min, max, enum, unit, constraint, and optionally since,
/// until, restart, origin (tables without them still load). `type` is a
/// ValueKind spelling, with `[]` for a list (`path[]`). For numeric kinds the `enum` column
/// lists special values accepted whatever min/max say (`-1`) and accepted words (`auto`);
/// for `bool` it lists extra spellings. `unit` is the unit of a bare number and of min/max for duration and size
/// (`ms`, `s`, `kB`, ...). `constraint` holds `;`-separated constraints (see Constraint).
/// The row named `*` holds system-wide facts: its enum column lists the boolean spellings
/// the system's valid files use. `since`/`until`: the first version that has the parameter and
/// the first that no longer has it (either may be empty). `restart`: `yes` when the documents
/// say a change takes effect only after a restart. `origin`: `doc` for a row learned from a
/// system's documented defaults (`ciri spec learn --from-defaults`), empty for a hand-written one.
struct ParamSpec {
    std::string name;
    ValueRule rule;
    std::string default_value;
    std::string unit;
    std::vector<std::string> constraints;  ///< as written
    int seen = 0;  ///< learned rows: how many valid values the row was learned from; 0 = hand-written
    std::string since, until;  ///< versions: added in `since`, gone from `until` on ("" = unknown)
    bool restart = false;      ///< a change needs a restart (documented)
    bool documented = false;   ///< learned from documented defaults (origin `doc`): trusted below hand-written
};

/// A cross-parameter constraint, parsed. Forms (operators separated by spaces; names may
/// contain `.`, `-`, `_`, `[n]`):
///   `EXPR OP EXPR` with OP one of `<= < >= > == !=` and EXPR names and numbers joined by
///      `* / % + -` and parentheses, e.g. `a <= b`, `a * b == c`, `a % b == 0`;
///   `A requires B=V` (when A is set and not false/0/none, B must equal V), `A=V requires
///      B=W` (when A equals V, or for a list row has the item V), `A requires B` (B must be
///      set; a YAML or JSON null is not);
///   `A conflicts B` (when A is set and not false/0/none, B must not be);
///   `A key_of B` (A's value names one of the keys directly under section B, as Ray's
///      `head_node_type` names a key of `available_node_types`);
///   `A named_in B` (A's value is one of the names of B's `name=value,...` list, as etcd's
///      `name` must be a member of `initial-cluster`);
///   `args GRAMMAR` on a row: the value's arguments (split as Redis splits a directive's line)
///      must fit GRAMMAR (arguments.hpp), `fields GRAMMAR` the same for the value split at every
///      comma; several on one row are alternatives (the value fits one of them);
///   `removed_in VERSION`, `added_in VERSION` on the row of the parameter they describe, or
///      `VALUE removed_in VERSION` for one value of it (an item, for a list row);
///   `typos` on the `*` row: a key the table lacks but one edit away from a row's name is a
///      misspelling (for systems whose table lists every key they read);
///   `unknown_refused VERSION` on the `*` row: the system refuses to start on a key the table
///      lacks (Redis: "Bad directive"), for tables that list every key the system reads at
///      VERSION (its major.minor line); a file known to be of a later version is not checked,
///      and keys with a `.` (Redis's module settings) never are;
///   `case_sensitive` on the `*` row: the system compares enumerated values exactly;
///   `bools_exact` on the `*` row: a boolean row takes only the `*` row's spellings (any case),
///      not every usual one: ZooKeeper refuses `yes`, `on` and `1` where it reads true or false;
///   `units A,B,...` on the `*` row: the only unit spellings the system accepts in sizes and
///      durations, compared exactly (PostgreSQL's `kB`, `MB`, `ms`, `min`: `200MS` and `5m`
///      are refused); without it every usual spelling passes, in any case;
///   `empty_refused` on the `*` row: the system refuses an empty value (`key =`, `key = ''`)
///      for a parameter of a typed kind (bool, number, duration, size, port, or an enumeration
///      that lists no empty value), as PostgreSQL does; without it an empty value is never
///      judged (Hadoop reads an empty value as unset);
///   `quoted_is_string` on the `*` row: the system decodes the file into typed fields, so a
///      quoted value (Parameter::quoted) is a string, refused for a bool, number, duration,
///      size or port (etcd reads its YAML into Go fields: `snapshot-count: '100'` and `''` are
///      refused), and a quoted `''` is an empty string, refused by an enumeration that does not
///      list `''`; without it a quoted value is judged by its text, as lenient readers take it.
/// A compare, requires or conflicts constraint may end in conditions, each `if C` or `unless C`,
/// all of which must pass: C is `P` (set and truthy), `P=V` (equals V), `P OP N` (compares
/// with a number, OP one of `<= < >= > == !=`), or for unless `P1,P2` (none of them set);
/// `P` written `Q.*` means any key under `Q`, `context.NAME` a fact, and `version` the file's
/// version (`if version < 0.8` holds only when the version is known and below 0.8). A flag
/// written without a value (`--fp16` in an argument file or sbatch header) is set and truthy.
/// Names with characters of the expression grammar (`nvidia.com/gpu`) are written in
/// backquotes. A name starting `*.` matches keys ending in the rest, at any depth, list
/// indices included (`*.resources.limits.nvidia.com/gpu`); the names of one constraint
/// that start `*.` are read in the same object (the same prefix), once per such object.
/// One `if`/`unless` condition of a constraint (see Constraint).
struct Condition {
    std::string param;  ///< a name, `Q.*`, `context.NAME`, `version`, or for unless a comma list
    std::string op;     ///< "" (set and truthy), "=" (equals value), or a comparison operator
    std::string value;
    bool negated = false;  ///< unless
};

struct Constraint {
    enum class Kind { compare, requirement, conflict, removed_in, added_in, typos, case_sensitive, empty_refused, key_of, units, quoted_is_string, named_in, arguments, bools_exact, unknown_refused };
    Kind kind = Kind::compare;
    std::string text;              ///< as written
    std::string owner;             ///< the row it came from
    std::vector<std::string> lhs;  ///< compare: tokens of the left expression
    std::string op;                ///< compare: the operator
    std::vector<std::string> rhs;  ///< compare: tokens of the right expression
    std::string cond_param, cond_value;  ///< requires/conflicts: A and V ("" = "A is set and truthy")
    std::string need_param, need_value;  ///< requires: B and W ("" = "B is set"); conflicts, key_of, named_in: B
    std::string version;                 ///< removed_in / added_in
    std::string value;                   ///< removed_in / added_in of one value ("" = the parameter)
    std::vector<std::string> units;      ///< units: the spellings the system accepts, exactly
    std::vector<Condition> when;         ///< `if`/`unless` conditions, all must pass
    std::optional<ArgGrammar> grammar;   ///< arguments: what the owner's value must fit
    bool fields = false;                 ///< arguments: split at commas (`fields`), not as arguments (`args`)

    /// The parameter names the constraint mentions, in order of appearance.
    std::vector<std::string> params() const;

    /// A fact about the system's whole file (the `*` row's typos, case_sensitive,
    /// empty_refused, units, quoted_is_string, bools_exact, unknown_refused), not about named
    /// parameters.
    bool system_wide() const {
        return kind == Kind::typos || kind == Kind::case_sensitive || kind == Kind::empty_refused ||
               kind == Kind::units || kind == Kind::quoted_is_string || kind == Kind::bools_exact ||
               kind == Kind::unknown_refused;
    }
};

/// `key` with its list indices as `[]` (`containers[0].image` -> `containers[].image`).
std::string strip_indices(std::string_view key);

/// Parses one constraint written on the row of `owner`; fails saying what is malformed.
Expected<Constraint> parse_constraint(std::string_view text, std::string_view owner);

/// The spec of one system: rows by name, constraints, system-wide facts.
struct SpecSet {
    std::string system;
    std::map<std::string, ParamSpec> params;
    std::vector<Constraint> constraints;
    std::vector<std::string> bool_spellings;  ///< from the `*` row
    bool case_sensitive = false;              ///< the `*` row's `case_sensitive`
    std::vector<std::string> units;           ///< the `*` row's `units`: empty = any known spelling
    std::vector<std::string> sources;         ///< files the rows came from, in load order

    /// The row for `key`: exact, then ASCII case-insensitive, then with list indices as `[]`
    /// (`containers[0].image` finds `containers[].image`), then the longest `*.suffix` row
    /// whose suffix ends the key (at a `.` boundary); nullptr when none.
    const ParamSpec* find(std::string_view key) const;

    /// True when the table states a constraint of `kind` (for the `*` row's whole-file facts).
    bool has(Constraint::Kind kind) const;

    /// Adds the rows and constraints of `other` that this set lacks: rows already present
    /// here win, so merge the most trusted table first.
    void merge(const SpecSet& other);

    bool empty() const { return params.empty() && constraints.empty() && bool_spellings.empty(); }
};

/// Parses params.tsv text; `label` names it in errors. Blank lines and `#` lines are
/// skipped, as is a header line starting with `name<TAB>type<TAB>` (a row named `name` is a row). Fails with the line of the
/// first malformed row.
Expected<SpecSet> parse_spec_tsv(std::string_view text, std::string_view label = {});

/// Reads a params.tsv file.
Expected<SpecSet> read_spec_tsv(const std::filesystem::path& path);

/// The table as params.tsv text, with a header; rows sorted by name, `*` first.
std::string write_spec_tsv(const SpecSet& spec);

/// Where shipped tables live: datasets/<system>/params.tsv under ciri's source tree.
std::filesystem::path default_spec_dir();

/// The spec for `system`: first each `--spec` path in order (a params.tsv file, or a
/// directory holding <system>.tsv or <system>/params.tsv), then the shipped
/// `<shipped_dir>/<system>/params.tsv`. Missing shipped tables are fine (an empty set);
/// a `--spec` path that does not exist or a malformed table is an Error.
Expected<SpecSet> load_spec_set(std::string_view system,
                                const std::vector<std::filesystem::path>& spec_paths = {},
                                const std::filesystem::path& shipped_dir = default_spec_dir());

}  // namespace ciri
