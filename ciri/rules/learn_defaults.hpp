// `ciri spec learn --from-defaults`: a spec table learned from a system's documented default
// configuration (postgresql.conf.sample, redis.conf, zoo_sample.cfg, Hadoop's *-default.xml,
// Django's global_settings.py): each parameter's default and type from its default value, and
// its unit, range, enumeration and restart need from what its comment or description states.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "ciri/rules/spec.hpp"
#include "parsers/config_file.hpp"

namespace ciri {

/// What a comment or description states about a parameter's values, as written.
struct DescribedFacts {
    std::string min, max;              ///< bounds as written, with their unit if any ("30s", "100kB", "0")
    std::vector<std::string> values;   ///< an enumeration the text lists
    std::vector<std::string> special;  ///< numbers with a meaning of their own ("-1 disables")
    std::string unit;                  ///< the unit a bare number counts in ("in milliseconds" -> "ms")
    bool restart = false;              ///< "(change requires restart)"
    bool boolean = false;              ///< "on/off", "true or false"
    bool fraction = false;             ///< a ratio, fraction or percentage: decimals are fine
    bool decimal_allowed = false;      ///< "begin with 0 to use octal": a mode may be written in decimal
    bool pages = false;                ///< "measured in pages": a size whose bare number counts in pages
    /// Parameters the value only matters under, with the value they need ("true" for
    /// enabled/on): "only used when X is true", "ignored unless X is set to V", "requires X to
    /// be enabled". Names as written; learn_from_defaults keeps those the document has.
    std::vector<std::pair<std::string, std::string>> used_when;
};

/// Reads what `text` (a comment or a description) states: ranges ("range 30s-1d", "0-1000",
/// "between 0 and 1", "min 100kB", "at most 64"), enumerations ("possible values: a, b",
/// a comment that is a list holding `default_value`: "minimal, replica, or logical"), special
/// numbers ("-1 disables", "0 means no limit"), the unit of a bare number ("in seconds"),
/// (a range the text only recommends is no bound),
/// "(change requires restart)", on/off, control dependencies (used_when). States nothing it
/// did not find.
DescribedFacts read_description(std::string_view text, std::string_view default_value);

/// A sample file's commented-out settings made active: in `=` formats (`conf`, `properties`)
/// a line `#key = value` becomes `key = value`; in Redis's `directives` format a line
/// `# key value` whose key is a lowercase word with a `-` or a known directive shape does.
/// Prose and `include` lines are left as comments.
std::string uncomment_settings(std::string_view text, std::string_view format);

/// Where a table of documented defaults comes from: named in its header.
struct DefaultsSource {
    std::string system;
    std::string version;   ///< the system's version the document belongs to
    std::string document;  ///< e.g. "postgresql.conf.sample (Debian postgresql-15)"
    std::string format;    ///< the document's format; default: the system's usual one
    /// The document lists every parameter the system reads (postgresql.conf.sample, redis.conf):
    /// the table's `*` row gets `typos`, so a key one edit away from a row is a misspelling.
    bool complete = false;
};

/// Learns a table from the text of a documented-defaults file: one row per parameter the
/// document sets or shows commented out, with its default, the type its default has, and
/// what its comment or description states (read_description); rows are marked `doc`; a
/// stated dependency on another parameter of the document becomes `A requires X=V` (checked
/// as a 0.7 warning, only when the file sets X). A
/// default that is free text or absent gives a row of kind string (a parameter that exists,
/// nothing more), as does a rule that would reject the documented default itself. Fails when
/// the document cannot be parsed in its format. A Hadoop property without a name is passed
/// over; its line goes to `nameless` when given (the document lost a name: a parameter missing
/// from the table may be that one).
Expected<SpecSet> learn_from_defaults(std::string_view text, const DefaultsSource& source,
                                      std::vector<int>* nameless = nullptr);

/// The control dependencies the documents state for the parameters `file` sets (documented
/// rows' `A requires X=V`), one sentence each, for the prompt: "x.size takes effect only when
/// x.enabled is true (the documentation says so)". Empty when none.
std::vector<std::string> documented_dependencies(const ConfigFile& file, const SpecSet& spec);

/// The header lines (`# ...`) a table learned from `source` starts with: the system, the
/// version, the document and the learner's flag (`how`), and that only facts were kept.
std::string defaults_table_header(const DefaultsSource& source, std::string_view how = "--from-defaults");

}  // namespace ciri
