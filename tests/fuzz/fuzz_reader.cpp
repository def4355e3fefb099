// libFuzzer target: the reader and everything load_config does with bytes (decoding, format
// and system detection, version detection, the parser detection picks).
#include <cstddef>
#include <cstdint>
#include <string>

#include "parsers/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    (void)ciri::decode_text(bytes);
    ciri::LoadOptions options;
    options.max_bytes = 1 << 20;
    (void)ciri::load_config_bytes("fuzz.input", bytes, options);
    (void)ciri::load_config_bytes("conf/hdfs-site.xml", bytes, options);  // a name that picks a format
    return 0;
}
