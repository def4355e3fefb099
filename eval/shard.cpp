#include "eval/shard.hpp"

#include <charconv>

namespace ciri {

namespace {

bool read_int(std::string_view text, int& out) {
    if (text.empty()) return false;
    auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), out);
    return err == std::errc() && end == text.data() + text.size();
}

}  // namespace

Expected<Shard> parse_shard(std::string_view text) {
    const size_t slash = text.find('/');
    Shard s;
    if (slash == std::string_view::npos || !read_int(text.substr(0, slash), s.index) ||
        !read_int(text.substr(slash + 1), s.count))
        return fail("shard must be I/N, e.g. 0/4");
    if (s.count < 1) return fail("shard count must be at least 1");
    if (s.index < 0 || s.index >= s.count) return fail("shard index must be in [0, N)");
    return s;
}

std::vector<DatasetItem> shard_items(const std::vector<DatasetItem>& items, Shard shard) {
    std::vector<DatasetItem> out;
    for (size_t k = static_cast<size_t>(shard.index); k < items.size(); k += static_cast<size_t>(shard.count))
        out.push_back(items[k]);
    return out;
}

}  // namespace ciri
