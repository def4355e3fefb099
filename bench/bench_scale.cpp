// How cost grows with input size: `bench_scale [LARGEST] [SHAPE]`: sizes from 1000 up to
// LARGEST parameters (default 100000), every shape or only SHAPE (e.g. `yaml`, `xml-attrs`).
// For every format, files of 1k, 10k and 100k parameters are generated, parsed, checked by
// the rules voter (with the shipped DeepSpeed table) and aggregated (an answer naming every
// tenth parameter, three samples, extracted, grounded and voted); each step prints its
// CPU seconds and microseconds per parameter. Linear steps keep the same time per parameter at
// every size. Shapes that once took quadratic time are included: one XML element with N
// attributes (`xml-attrs`, refused past 2,000) and flat YAML/TOML mappings (`yaml-flat`,
// `toml-flat`).
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "aggregator/answer.hpp"
#include "aggregator/hallucination.hpp"
#include "aggregator/vote.hpp"
#include "bench/corpus.hpp"
#include "ciri/rules/check.hpp"
#include "parsers/registry.hpp"

using namespace ciri;
using namespace ciri::bench;

namespace {

// Past this many seconds at one size, the larger sizes of that step are not run.
constexpr double kGiveUpSeconds = 30;

// CPU seconds of this thread: on a machine shared with other jobs, wall time measures the
// neighbours as much as ciri. Every step measured here runs on this one thread.
double cpu_now() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Shape {
    std::string name;    ///< as printed
    std::string format;  ///< the parser
    std::function<std::string(size_t)> text;  ///< a file of about n parameters
};

// A file of the corpus generator's items, enough of them for about `n` parameters.
std::string from_generator(const std::string& format, size_t n) {
    const auto& [head, item] = kGenerators.at(format);
    const Format* f = find_format(format);
    std::string sample = head;
    for (int i = 0; i < 100; ++i) sample += item(i);
    sample += footer(format);
    auto parsed = f->parse(sample, {});
    double per_item = parsed && !parsed->empty() ? parsed->size() / 100.0 : 1.0;
    std::string text = head;
    for (size_t i = 0; i < static_cast<size_t>(n / per_item + 0.5); ++i) text += item(static_cast<int>(i));
    return text + footer(format);
}

std::vector<Shape> shapes() {
    std::vector<Shape> out;
    for (const auto& format : formats()) {
        std::string name(format.name);
        if (kGenerators.contains(name))
            out.push_back({name, name, [name](size_t n) { return from_generator(name, n); }});
    }
    out.push_back({"xml-attrs", "xml", [](size_t n) {
                       std::string t = "<root>\n<server";
                       for (size_t i = 0; i < n; ++i) t += "\n  a" + std::to_string(i) + "=\"" + std::to_string(i) + "\"";
                       return t + "/>\n</root>\n";
                   }});
    out.push_back({"yaml-flat", "yaml", [](size_t n) {
                       std::string t;
                       for (size_t i = 0; i < n; ++i) t += "key" + std::to_string(i) + ": " + std::to_string(i) + "\n";
                       return t;
                   }});
    out.push_back({"toml-flat", "toml", [](size_t n) {
                       std::string t = "[server]\n";
                       for (size_t i = 0; i < n; ++i) t += "key" + std::to_string(i) + " = " + std::to_string(i) + "\n";
                       return t;
                   }});
    return out;
}

// Three samples of an answer naming every tenth parameter, extracted, grounded and voted.
void aggregate(const ConfigFile& file) {
    std::string json = "{\"hasError\": true, \"errParameter\": [";
    std::string reasons;
    for (size_t i = 0; i < file.params.size(); i += 10) {
        if (i) json += ", ", reasons += ", ";
        json += "\"" + file.params[i].key + "\"";
        reasons += "\"value out of range\"";
    }
    json += "], \"reason\": [" + reasons + "]}";
    if (file.params.empty()) json = "{\"hasError\": false, \"errParameter\": [], \"reason\": []}";
    BackendSamples backend{.name = "bench"};
    for (int s = 0; s < 3; ++s) {
        auto answer = extract_answer(json);
        if (!answer || !check_answer(*answer)) continue;
        backend.answers.push_back(filter_hallucinations(*answer, file));
    }
    (void)vote({backend});
}

}  // namespace

int main(int argc, char** argv) {
    size_t largest = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
    std::vector<size_t> sizes;
    for (size_t n = 1000; n <= largest; n *= 10) sizes.push_back(n);
    std::printf("%-12s %8s %10s %12s %10s %12s %10s %12s\n", "shape", "params", "parse s", "parse us/p",
                "rules s", "rules us/p", "aggr s", "aggr us/p");
    // The largest shipped table: every parameter is looked up in it and compared with its rows
    // as a sibling, as in a real run; the generated keys match none, so all rules also run.
    auto spec = load_spec_set("deepspeed");
    if (!spec) {
        std::fprintf(stderr, "bench_scale: %s\n", spec.error().format().c_str());
        return 2;
    }
    std::string only = argc > 2 ? argv[2] : "";
    for (const auto& shape : shapes()) {
        if (!only.empty() && shape.name != only) continue;
        const Format* format = find_format(shape.format);
        bool parse_on = true, rules_on = true, aggr_on = true;
        for (size_t n : sizes) {
            if (!parse_on) {
                std::printf("%-12s %8zu   skipped: the smaller size took over %.0f s\n", shape.name.c_str(), n,
                            kGiveUpSeconds);
                continue;
            }
            std::string text = shape.text(n);
            double t0 = cpu_now();
            auto params = format->parse(text, {});
            double parse_s = cpu_now() - t0;
            parse_on = parse_s < kGiveUpSeconds;
            if (!params) {
                std::printf("%-12s %8zu   error: %s (line %d)\n", shape.name.c_str(), n,
                            params.error().message.c_str(), params.error().line);
                break;
            }
            ConfigFile file{.path = "bench", .format = shape.format, .text = text, .params = std::move(*params)};
            double count = static_cast<double>(std::max<size_t>(file.params.size(), 1));
            std::printf("%-12s %8zu %10.3f %12.2f", shape.name.c_str(), file.params.size(), parse_s,
                        parse_s * 1e6 / count);
            if (rules_on) {
                t0 = cpu_now();
                (void)check_file(file, *spec);
                double rules_s = cpu_now() - t0;
                rules_on = rules_s < kGiveUpSeconds;
                std::printf(" %10.3f %12.2f", rules_s, rules_s * 1e6 / count);
            } else {
                std::printf(" %10s %12s", "skipped", "");
            }
            if (aggr_on) {
                t0 = cpu_now();
                aggregate(file);
                double aggr_s = cpu_now() - t0;
                aggr_on = aggr_s < kGiveUpSeconds;
                std::printf(" %10.3f %12.2f", aggr_s, aggr_s * 1e6 / count);
            } else {
                std::printf(" %10s %12s", "skipped", "");
            }
            std::printf("\n");
            std::fflush(stdout);
        }
    }
}
