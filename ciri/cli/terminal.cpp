#include "ciri/cli/terminal.hpp"

#include <cstdlib>
#include <string>

namespace ciri {

namespace {

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v && *v && std::string(v) != "0";
}

}  // namespace

bool want_color(std::string_view choice, bool is_terminal) {
    if (choice == "always") return true;
    if (choice == "never") return false;
    if (const char* v = std::getenv("NO_COLOR"); v && *v) return false;
    return is_terminal || env_set("CLICOLOR_FORCE");
}

}  // namespace ciri
