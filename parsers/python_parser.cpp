// PLACEHOLDER: replaced by the real parser.
#include "parsers/registry.hpp"
namespace ciri {
Expected<std::vector<Parameter>> parse_python(std::string_view, const ParseLimits&) {
    return fail("this format is not implemented yet");
}
}  // namespace ciri
