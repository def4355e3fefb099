#include "parsers/registry.hpp"

#include <algorithm>

namespace ciri {

// Each parser lives in its own file; its entry point is declared next to its row.
Expected<std::vector<Parameter>> parse_hadoop_xml(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_xml(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_properties(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_conf(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_directives(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_yaml(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_json(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_ini(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_toml(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_env(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_python(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_slurm(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_sbatch(std::string_view, const ParseLimits&);
Expected<std::vector<Parameter>> parse_args(std::string_view, const ParseLimits&);

namespace {

constexpr Format kFormats[] = {
    {"hadoop-xml", "Hadoop-style <configuration><property><name/><value/>... XML", parse_hadoop_xml},
    {"xml", "any other XML: elements and attributes flattened to dotted keys", parse_xml},
    {"properties", "Java .properties: key=value, key: value or key value; # and ! comments",
     parse_properties},
    {"conf", "name = value lines with # comments, as postgresql.conf", parse_conf},
    {"directives", "directive arg1 arg2 ... lines, as redis.conf", parse_directives},
    {"yaml", "YAML, several documents per file allowed; keys dotted, list items key[0]",
     parse_yaml},
    {"json", "JSON; keys dotted, list items key[0]", parse_json},
    {"ini", "INI: [section] then key = value; keys section.key", parse_ini},
    {"toml", "TOML; tables dotted, arrays of tables key[0]", parse_toml},
    {"env", "dotenv and shell env files: [export] NAME=value", parse_env},
    {"python", "Python settings (Django): NAME = literal, read as text, never run",
     parse_python},
    {"slurm", "slurm.conf / gres.conf: Key=Value pairs, scoped by NodeName/PartitionName",
     parse_slurm},
    {"sbatch", "#SBATCH --option=value headers of Slurm batch scripts", parse_sbatch},
    {"args", "command-line argument files: --name value and --flag", parse_args},
};

}  // namespace

std::span<const Format> formats() { return kFormats; }

const Format* find_format(std::string_view name) {
    auto it = std::ranges::find(kFormats, name, &Format::name);
    return it == std::end(kFormats) ? nullptr : it;
}

}  // namespace ciri
