// libFuzzer target: redaction through its public redact() API, on whatever a parser makes of
// the input (so keys, values and file text come from the fuzzer).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ciri/redact.hpp"
#include "parsers/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    ciri::LoadOptions options;
    options.max_bytes = 1 << 20;
    auto file = ciri::load_config_bytes("fuzz.input", bytes, options);
    if (!file) {
        // Unparseable text still reaches redaction as a file's text.
        ciri::ConfigFile raw;
        raw.path = "fuzz.input";
        raw.text = bytes;
        raw.params.push_back({"password", bytes, 1, "", ""});
        file = raw;
    }
    int count = 0;
    (void)ciri::redact(*file, &count);
    return 0;
}
