// `ciri spec learn --from-pg-settings`: a PostgreSQL spec table learned from the server itself.
// `postgres --describe-config` prints each parameter's type and enforced min/max but neither
// its unit nor its enumeration, so the learner reads the server's pg_settings view exported
// with a header row (bench/learn_from_programs.sh makes the export in a sandbox): name,
// context, vartype, unit, min_val, max_val, enumvals, boot_val.
#pragma once

#include <string_view>

#include "base/error.hpp"
#include "ciri/rules/learn_defaults.hpp"
#include "ciri/rules/spec.hpp"

namespace ciri {

/// Learns one row per setting of a pg_settings export (tab-separated, a header row naming the
/// columns, `\N` for null, enumerations as `{a,"b c"}`): bool; enum with its values (plus
/// PostgreSQL's boolean spellings where the values hold on and off, as the server accepts
/// them there); integer and real as float (the server rounds a fractional integer), or as size
/// and duration when it names a unit (a bare number counts in that unit, `8kB` pages
/// included); string otherwise.
/// min/max are the server's enforced range; the default is its built-in one; restart is a
/// `postmaster` context. Rows are marked `doc`. The `*` row gets `empty_refused` (the server
/// refuses an empty bool, number or enumeration), and with `source.complete` `typos`. Fails, with the line, on a missing column or a malformed row.
Expected<SpecSet> learn_from_pg_settings(std::string_view text, const DefaultsSource& source);

/// `facts` (learned from the program, which lists every parameter it has) completed by
/// `document` (learned from its documented defaults): the program's rows stand; the document
/// adds the dependencies it states between parameters the program has. Its other rows are not
/// taken (a name the program does not list is no setting of it).
SpecSet merge_program_and_document(SpecSet facts, const SpecSet& document);

}  // namespace ciri
