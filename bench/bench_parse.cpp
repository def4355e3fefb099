// Parse throughput per format on a generated corpus: `bench_parse [MiB per format]`.
// Prints MB/s and parameters/s for every registered format.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>

#include "bench/corpus.hpp"
#include "parsers/registry.hpp"

using namespace ciri;
using namespace ciri::bench;

int main(int argc, char** argv) {
    double mib = argc > 1 ? std::atof(argv[1]) : 4.0;
    size_t target = static_cast<size_t>(mib * 1024 * 1024);
    std::printf("%-12s %10s %10s %12s %14s\n", "format", "MB", "params", "MB/s", "params/s");
    ParseLimits limits;
    for (const auto& format : formats()) {
        auto gen = kGenerators.find(std::string(format.name));
        if (gen == kGenerators.end()) {
            std::printf("%-12s (no generator)\n", std::string(format.name).c_str());
            continue;
        }
        std::string text = gen->second.first;
        for (int i = 0; text.size() < target; ++i) text += gen->second.second(i);
        text += footer(std::string(format.name));
        // Best of three runs: the figure is the parser's speed, not the machine's noise.
        double best = 1e30;
        size_t params = 0;
        for (int run = 0; run < 3; ++run) {
            auto t0 = std::chrono::steady_clock::now();
            auto result = format.parse(text, limits);
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (!result) {
                std::printf("%-12s error: %s (line %d)\n", std::string(format.name).c_str(),
                            result.error().message.c_str(), result.error().line);
                params = 0;
                break;
            }
            params = result->size();
            best = std::min(best, s);
        }
        if (!params) continue;
        double mb = text.size() / 1e6;
        std::printf("%-12s %10.2f %10zu %12.1f %14.0f\n", std::string(format.name).c_str(), mb, params,
                    mb / best, params / best);
    }
}
