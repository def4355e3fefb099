// The rendered text of the shot lists a run's prompts show, kept for the run: rendering four
// shots of a few KB each for every file was a tenth of ciri's CPU per request with --shots.
#pragma once

#include <functional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "prompts/file_view.hpp"
#include "prompts/shot_pool.hpp"

namespace ciri {

/// Shot texts of one template, shared by the threads of a run. Files given the same shots
/// (every file of a system under "stable", files of one shape under the other strategies)
/// have them rendered once.
class ShotTexts {
  public:
    /// At most this many shot lists are kept; later ones are rendered every time.
    static constexpr size_t kMaxLists = 4096;

    /// The text `render` makes for `shots` in `view`: made the first time these shots (the
    /// same systems, ids, configs, answers and order) are asked for, then the kept copy.
    std::string get(const std::vector<Shot>& shots, FileView view, const std::function<std::string()>& render);

    /// Shot lists rendered so far (kept ones).
    size_t size() const;

  private:
    mutable std::shared_mutex mu_;
    std::unordered_map<std::string, std::string> texts_;
};

}  // namespace ciri
