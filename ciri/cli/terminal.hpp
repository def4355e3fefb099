// Terminal manners shared by the subcommands: colour and its environment conventions.
#pragma once

#include <string_view>

namespace ciri {

/// Whether output gets colour. `choice` is --color's value: "always" and "never" decide alone;
/// "auto" colours a terminal unless NO_COLOR is set and not empty (no-color.org), and colours
/// even a pipe when CLICOLOR_FORCE is set to anything but "" or "0".
bool want_color(std::string_view choice, bool is_terminal);

}  // namespace ciri
