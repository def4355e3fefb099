// `ciri spec learn --from-refusals`: a spec table learned from what a program says when it
// refuses a value. bench/learn_from_programs.sh writes each setting of redis-server, in turn,
// into a config file with a probe value (a word, an empty value, the extreme 64-bit integers)
// and records the first error line the server printed, or nothing when the probe passed.
// Redis checks its typed settings with fixed messages (a yes/no, an integer, a memory value,
// one of an enumeration, a range); those messages are the facts read here.
#pragma once

#include <string_view>

#include "base/error.hpp"
#include "ciri/rules/learn_defaults.hpp"
#include "ciri/rules/spec.hpp"

namespace ciri {

/// Learns one row per probed setting from lines `name<TAB>value<TAB>message` (message empty
/// when the program took the value): the word probe's refusal gives the kind (`must be 'yes'
/// or 'no'`: bool; `couldn't be parsed into an integer`: int; `must be a memory value`: size in
/// bytes; `must be one of the following: a, b`: an enumeration, unless a probe of two of its
/// values at once passed: the setting takes several); `between A and B inclusive` gives the
/// range (bounds a double cannot hold exactly, beyond 2^53, are left out; a size whose negative
/// probe is refused as no memory value starts at 0, and one whose fraction probe is refused so
/// gets `args size`: whole sizes only); an empty probe that
/// passed on a typed setting lists `''` among its accepted values. Settings whose refusal says
/// none of these are strings. Rows are marked `doc`. The `*` row gets `empty_refused` when the
/// program refused an empty value on some typed setting, and with `source.complete` `typos`.
/// Fails, with the line, on a malformed line or when no line is given.
Expected<SpecSet> learn_from_refusals(std::string_view probes, const DefaultsSource& source);

/// `document` (learned from documented defaults) with the kinds, ranges and enumerations
/// `refusals` learned from the program laid over the rows they type: a row keeps the
/// document's default, unit, restart, versions and dependencies; a setting the refusals
/// leave a string keeps the document's row; a setting the document lacks gets the program's
/// row. A port stays a port, and a row keeps the document's unit when the program names none.
/// The `*` row's facts of both are kept.
SpecSet overlay_refusals(SpecSet document, const SpecSet& refusals);

}  // namespace ciri
