// Generated configuration text per format, shared by the parse and scale benchmarks.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace ciri::bench {

// One generator per format: the i-th parameter written the way that format writes it.
using Gen = std::function<std::string(int)>;

inline std::string key(int i, const char* sep) {
    return "service" + std::to_string(i % 97) + sep + "component" + std::to_string(i) + sep + "limit";
}

inline const std::map<std::string, std::pair<std::string, Gen>> kGenerators = {
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
inline std::string footer(const std::string& format) {
    if (format == "hadoop-xml") return "</configuration>\n";
    if (format == "xml") return "</root>\n";
    if (format == "json") return "  \"end\": 0\n}\n";
    return "";
}

}  // namespace ciri::bench
