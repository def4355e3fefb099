// Shared by the rules tests that score against the paper's artifact dataset.
#pragma once

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ciri/rules/check.hpp"
#include "ciri/rules/learn.hpp"
#include "parsers/detect.hpp"
#include "parsers/load.hpp"

namespace ciri::test {

/// The misconfigured parameters of each erroneous file of `system` under the artifact's
/// datasets/synthesize_config `root` (element n-1 for file n), read from ground_truth/<system>.tsv:
/// the named parameter, plus the related one for a "Value Relationship" row.
inline std::vector<std::set<std::string>> artifact_truth(const std::filesystem::path& root,
                                                         const std::string& system) {
    std::ifstream gt(root / "ground_truth" / (system + ".tsv"));
    std::vector<std::set<std::string>> truth;
    for (std::string line; std::getline(gt, line);) {
        std::vector<std::string> cols;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
        std::set<std::string> params{cols.at(2)};
        if (cols.at(1) == "Value Relationship") params.insert(cols.at(4));
        truth.push_back(params);
    }
    return truth;
}

/// How to load the artifact's files of the known system `system`.
inline LoadOptions artifact_load_options(const std::string& system) {
    LoadOptions options;
    options.system = system;
    options.format = std::string(find_system(system)->format);
    return options;
}

/// What the rules tests need of one artifact system: the spec learned from its valid shots,
/// the datasets/synthesize_config root, its ground truth and how to load its files.
struct ArtifactSystem {
    SpecSet spec;
    std::filesystem::path root;
    std::vector<std::set<std::string>> truth;
    LoadOptions options;
};

/// The ArtifactSystem of `system` in the artifact at `shared`.
inline ArtifactSystem artifact_system(const std::filesystem::path& shared,
                                      const std::string& system) {
    auto valid = load_valid_files({shared / "shot_pool" / system / "ValidConfig"}, system);
    REQUIRE(valid.has_value());
    ArtifactSystem a;
    a.spec = learn_spec(*valid, system);
    a.root = shared / "datasets" / "synthesize_config";
    a.truth = artifact_truth(a.root, system);
    a.options = artifact_load_options(system);
    return a;
}

/// The parameters check_file flags in `text`, read as a `format` file of `system`.
inline std::vector<std::string> flagged_in(const std::string& text, const std::string& system,
                                           const std::string& format, const SpecSet& spec) {
    LoadOptions o;
    o.system = system;
    o.format = format;
    auto file = load_config_bytes(system + "." + format, text, o);
    REQUIRE(file.has_value());
    std::vector<std::string> out;
    for (const auto& f : check_file(*file, spec).findings) out.push_back(f.param);
    return out;
}

}  // namespace ciri::test
