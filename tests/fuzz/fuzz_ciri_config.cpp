// libFuzzer target: the `.ciri.yaml` reader, which reads a file a repository commits.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ciri/ciri_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    (void)ciri::parse_ciri_config(text, ".ciri.yaml");
    return 0;
}
