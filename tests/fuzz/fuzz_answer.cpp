// libFuzzer target: extracting and checking an answer from an LLM's reply, which is as
// untrusted as a repository's files.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aggregator/answer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto answer = ciri::extract_answer(text)) (void)ciri::check_answer(*answer);
    return 0;
}
