// Our GPU-cluster and training case sets (datasets/<system>/cases/), rules alone and offline:
// per system, the share of misconfigured files where the rules name a labeled parameter, the
// share of fixed twins they flag, and the share of files whose system is detected from the
// file alone. Targets (issue 14): >= 85% right parameter, <= 2% twins flagged, >= 95% detected.
//   bench_gpu_cases [DATASETS_DIR] [--list]   (--list also prints the misses and false alarms)
#include <cstring>
#include <iostream>

#include "ciri/rules/spec.hpp"
#include "eval/case_score.hpp"
#include "eval/dataset.hpp"

int main(int argc, char** argv) {
    std::string dir = ciri::default_spec_dir().string();  // datasets/ of the source tree or the install
    bool list = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--list") == 0) list = true;
        else dir = argv[i];
    }
    auto ds = ciri::read_dataset(dir);
    if (!ds) {
        std::cerr << "bench_gpu_cases: " << ds.error().format() << "\n";
        return 2;
    }
    auto scores = ciri::score_cases(*ds);
    std::cout << ciri::format_case_scores(scores);
    if (list)
        for (const auto& [system, t] : scores) {
            for (const auto& m : t.missed) std::cout << "missed: " << m << "\n";
            for (const auto& f : t.flagged) std::cout << "twin flagged: " << f << "\n";
            for (const auto& u : t.undetected) std::cout << "not detected: " << u << "\n";
        }
    return 0;
}
