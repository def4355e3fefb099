// Parse throughput per format on a generated corpus: `bench_parse [MiB per format]`.
// Prints MB/s and parameters/s for every registered format.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>

#include "parsers/registry.hpp"

using namespace ciri;

namespace {

// One generator per format: the i-th parameter written the way that format writes it.
using Gen = std::function<std::string(int)>;

std::string key(int i, const char* sep) {
    return "service" + std::to_string(i % 97) + sep + "component" + std::to_string(i) + sep + "limit";
}

const std::map<std::string, std::pair<std::string, Gen>> kGenerators = {
    {"hadoop-xml",
     {"<?xml version=\"1.0\"?>\n<configuration>\n",
      [](int i) {
          return "<property>\n  <name>" + key(i, ".") + "</name>\n  <value>" + std::to_string(i * 7) +
                 "</value>\n  <description>How many things component " + std::to_string(i) +
                 " may hold at once.</description>\n</property>\n";
      }}},
    {"xml", {"<root>\n", [](int i) { return "  <c" + std::to_string(i) + " port=\"80\">" + std::to_string(i) + "</c" + std::to_string(i) + ">\n"; }}},
    {"properties", {"", [](int i) { return "# comment " + std::to_string(i) + "\n" + key(i, ".") + "=" + std::to_string(i) + "\n"; }}},
    {"conf", {"", [](int i) { return key(i, "_") + " = '" + std::to_string(i) + "MB'   # note\n"; }}},
    {"directives", {"", [](int i) { return key(i, "-") + " " + std::to_string(i) + " yes\n"; }}},
    {"yaml", {"", [](int i) { return "s" + std::to_string(i) + ":\n  name: n" + std::to_string(i) + "\n  size: " + std::to_string(i) + "\n  tags: [a, b]\n"; }}},
    {"json", {"{\n", [](int i) { return "  \"s" + std::to_string(i) + "\": {\"name\": \"n\", \"size\": " + std::to_string(i) + ", \"on\": true},\n"; }}},
    {"ini", {"", [](int i) { return "[s" + std::to_string(i) + "]\nname = n" + std::to_string(i) + "\nsize = " + std::to_string(i) + "\n"; }}},
    {"toml", {"", [](int i) { return "[s" + std::to_string(i) + "]\nname = \"n\"\nsize = " + std::to_string(i) + "\non = true\n"; }}},
    {"env", {"", [](int i) { return "export " + key(i, "_") + "=\"" + std::to_string(i) + "\"\n"; }}},
    {"python", {"", [](int i) { return "S" + std::to_string(i) + "_LIMIT = [\n    'a',\n    " + std::to_string(i) + ",\n]\n"; }}},
    {"slurm", {"", [](int i) { return "NodeName=n" + std::to_string(i) + " CPUs=64 RealMemory=257000 Gres=gpu:8 State=UNKNOWN\n"; }}},
    {"sbatch", {"#!/bin/bash\n", [](int i) { return "#SBATCH --opt" + std::to_string(i) + "=" + std::to_string(i) + "\n"; }}},
    {"args", {"", [](int i) { return "--" + key(i, "-") + " " + std::to_string(i) + " \\\n"; }}},
};

// Closes what the header opened, so the corpus is well formed.
std::string footer(const std::string& format) {
    if (format == "hadoop-xml") return "</configuration>\n";
    if (format == "xml") return "</root>\n";
    if (format == "json") return "  \"end\": 0\n}\n";
    return "";
}

}  // namespace

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
