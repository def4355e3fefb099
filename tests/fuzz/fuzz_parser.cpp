// libFuzzer target: one parser, named at build time by CIRI_FUZZ_FORMAT (one binary per
// format). Any input must give parameters or an Error, never a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parsers/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const ciri::Format* format = ciri::find_format(CIRI_FUZZ_FORMAT);
    if (!format) std::abort();  // a format left the table: the target must follow
    // Parsers take decoded text, but must not trust it: feed the raw bytes.
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto params = format->parse(text, ciri::ParseLimits{});
    if (params)
        for (const auto& p : *params)
            if (p.line < 0) std::abort();  // lines are 1-based (0: not tied to one)
    return 0;
}
