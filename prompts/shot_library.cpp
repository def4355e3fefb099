#include "prompts/shot_library.hpp"

#include "parsers/detect.hpp"

namespace ciri {

struct ShotLibrary::Slot {
    std::once_flag once;
    Expected<IndexedPool> pool = std::unexpected(Error{"not loaded"});
};

ShotLibrary::ShotLibrary(std::filesystem::path dir, Prepare prepare)
    : dir_(std::move(dir)), prepare_(std::move(prepare)) {}

ShotLibrary::~ShotLibrary() = default;

Expected<const IndexedPool*> ShotLibrary::pool(const std::string& system) const {
    Slot* slot;
    {
        std::lock_guard lock(mu_);
        auto& s = slots_[system];
        if (!s) s = std::make_unique<Slot>();
        slot = s.get();
    }
    // Outside the lock: other systems' pools load meanwhile; threads wanting this one wait.
    std::call_once(slot->once, [&] {
        auto shots = load_shot_pool(dir_, system);
        if (!shots) {
            slot->pool = std::unexpected(shots.error());
            return;
        }
        if (prepare_ && !shots->empty()) prepare_(*shots);
        slot->pool = index_pool(std::move(*shots));
    });
    if (!slot->pool) return std::unexpected(slot->pool.error());
    return &*slot->pool;
}

int ShotLibrary::loads() const {
    std::lock_guard lock(mu_);
    return static_cast<int>(slots_.size());
}

Expected<ShotSelection> ShotLibrary::select(const ConfigFile& file, const SelectionOptions& options) const {
    auto own = pool(file.system);
    if (!own) return std::unexpected(own.error());
    if (!(*own)->shots.empty() || options.valid_shots + options.misconfig_shots == 0)
        return select_from_pool(file, **own, options);

    // None of its own: borrow the pool of the same-format system most like the file.
    std::string format = file.format;
    if (const SystemInfo* info = find_system(file.system); info && format.empty()) format = info->format;
    std::set<std::string> tokens;
    for (const Parameter& p : file.params)
        for (std::string& t : key_tokens(p.key)) tokens.insert(std::move(t));
    const IndexedPool* best = nullptr;
    std::string best_system;
    double best_score = -1;
    for (const SystemInfo& sys : systems()) {
        if (sys.format != format || sys.name == file.system) continue;
        auto other = pool(std::string(sys.name));
        if (!other) return std::unexpected(other.error());
        if ((*other)->shots.empty()) continue;
        double score = token_cosine(tokens, (*other)->all_tokens);
        if (score > best_score) {
            best_score = score;
            best = *other;
            best_system = sys.name;
        }
    }
    std::string who = file.system.empty() ? "this file's system" : file.system;
    if (!best) {
        ShotSelection none;
        none.notes.push_back("no shots for " + who + " nor for another " +
                             (format.empty() ? "system" : format + " system") + ": zero-shot");
        return none;
    }
    auto picked = select_from_pool(file, *best, options);
    if (!picked) return picked;
    picked->borrowed_from = best_system;
    picked->notes.insert(picked->notes.begin(),
                         "no shots for " + who + ": borrowed from " + best_system + " (same format " + format + ")");
    return picked;
}

}  // namespace ciri
