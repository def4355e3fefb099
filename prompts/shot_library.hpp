// A run's shot pools: each system's pool read, parsed and indexed once, then shared read-only
// by every thread that picks shots (a run of many files would otherwise re-read and re-parse
// the whole pool for each file).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "parsers/config_file.hpp"
#include "prompts/shot_selection.hpp"

namespace ciri {

/// Loads pools from one directory on first use and keeps them for the library's lifetime.
/// Thread-safe: any number of threads may call pool() and select() at once.
class ShotLibrary {
  public:
    /// Runs once on each pool after it is read, before it is indexed (the validate pipeline
    /// redacts the shots here, since they leave the machine with the file).
    using Prepare = std::function<void(std::vector<Shot>&)>;

    /// Pools are read from `dir` (either layout, see load_shot_pool); nothing is read yet.
    explicit ShotLibrary(std::filesystem::path dir, Prepare prepare = {});
    ~ShotLibrary();
    ShotLibrary(const ShotLibrary&) = delete;
    ShotLibrary& operator=(const ShotLibrary&) = delete;

    /// The pool of `system`, read, prepared and indexed the first time it is asked for (an
    /// empty pool when `dir` has none); the same pointer every time, valid as long as the
    /// library. Fails (with the file) when a shot file is malformed.
    Expected<const IndexedPool*> pool(const std::string& system) const;

    /// What select_shots(file, dir, options) picks, from the cached pools: the file's
    /// system's pool, or, when it is empty, the pool of the same-format system whose keys
    /// share most tokens with the file's (said in a note).
    Expected<ShotSelection> select(const ConfigFile& file, const SelectionOptions& options) const;

    /// How many pools were read from disk so far (each system at most once).
    int loads() const;

  private:
    struct Slot;
    std::filesystem::path dir_;
    Prepare prepare_;
    mutable std::mutex mu_;
    mutable std::map<std::string, std::unique_ptr<Slot>> slots_;  // guarded by mu_; never erased
};

}  // namespace ciri
