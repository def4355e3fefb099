#include "prompts/shot_texts.hpp"

#include <mutex>

namespace ciri {
namespace {

// Names, sizes and the hashes of the config and the answer: two shots with one id but another
// config or answer (a pool and a --shot file) never share a text. The full text and the compact
// config are made from those two, so their sizes are enough (hashing them too doubled the cost).
std::string key_of(const std::vector<Shot>& shots, FileView view) {
    std::string key(1, view == FileView::compact ? 'c' : 'r');
    auto hash = [](const std::string& s) { return std::to_string(std::hash<std::string>{}(s)); };
    for (const Shot& s : shots) {
        key += '\x1f';
        key += s.system + '\x1e' + s.id + '\x1e' + (s.valid ? "v" : "m") + s.category + '\x1e';
        key += std::to_string(s.text.size()) + '\x1e' + std::to_string(s.compact_config.size()) + '\x1e';
        key += hash(s.config) + '\x1e' + hash(s.answer_json);
    }
    return key;
}

}  // namespace

std::string ShotTexts::get(const std::vector<Shot>& shots, FileView view, const std::function<std::string()>& render) {
    std::string key = key_of(shots, view);
    {
        std::shared_lock lock(mu_);
        if (auto it = texts_.find(key); it != texts_.end()) return it->second;
    }
    std::string text = render();
    std::unique_lock lock(mu_);
    if (texts_.size() < kMaxLists) texts_.emplace(std::move(key), text);
    return text;
}

size_t ShotTexts::size() const {
    std::shared_lock lock(mu_);
    return texts_.size();
}

}  // namespace ciri
