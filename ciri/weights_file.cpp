#include "ciri/weights_file.hpp"

#include <yaml-cpp/yaml.h>

#include "base/data_dir.hpp"
#include "parsers/reader.hpp"

#include <fstream>
#include <set>
#include <sstream>

namespace ciri {

namespace {

[[noreturn]] void bad(const YAML::Node& node, const std::string& what, const std::string& path) {
    throw Error{what, node.Mark().line + 1, path};
}

// A mapping whose keys must all be in `known`.
void expect_keys(const YAML::Node& map, const std::string& where, const std::set<std::string>& known,
                 const std::string& path) {
    if (!map.IsMap()) bad(map, where + " must be a mapping", path);
    for (const auto& kv : map) {
        auto key = kv.first.as<std::string>();
        if (known.contains(key)) continue;
        std::string names;
        for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
        bad(kv.first, "unknown key '" + key + "' in " + where + " (known: " + names + ")", path);
    }
}

double number(const YAML::Node& n, const std::string& key, const std::string& path) {
    double v = 0;
    if (!n.IsScalar() || !YAML::convert<double>::decode(n, v)) bad(n, "'" + key + "' must be a number", path);
    return v;
}

double rate(const YAML::Node& n, const std::string& key, const std::string& path) {
    double v = number(n, key, path);
    if (!(v > 0 && v < 1)) bad(n, "'" + key + "' must be a rate strictly between 0 and 1", path);
    return v;
}

Reliability read_reliability(const YAML::Node& n, const std::string& where, const std::string& path) {
    expect_keys(n, where, {"sensitivity", "false_alarm", "scale", "measured_on", "categories"}, path);
    if (!n["sensitivity"] || !n["false_alarm"]) bad(n, where + " needs sensitivity and false_alarm", path);
    Reliability r;
    r.sensitivity = rate(n["sensitivity"], "sensitivity", path);
    r.false_alarm = rate(n["false_alarm"], "false_alarm", path);
    if (n["scale"]) {
        r.scale = number(n["scale"], "scale", path);
        if (!(r.scale > 0 && r.scale <= 1)) bad(n["scale"], "'scale' must be above 0 and at most 1", path);
    }
    if (const auto& m = n["measured_on"]) {
        expect_keys(m, "measured_on", {"misconfigured", "fine"}, path);
        if (m["misconfigured"]) r.misconfigured = number(m["misconfigured"], "misconfigured", path);
        if (m["fine"]) r.fine = number(m["fine"], "fine", path);
    }
    if (const auto& cats = n["categories"]) {
        if (!cats.IsMap()) bad(cats, "'categories' must be a mapping", path);
        for (const auto& kv : cats) {
            auto name = kv.first.as<std::string>();
            expect_keys(kv.second, "category '" + name + "'", {"misconfigured", "fine"}, path);
            if (!kv.second["misconfigured"] || !kv.second["fine"])
                bad(kv.second, "category '" + name + "' needs misconfigured and fine", path);
            r.categories[name] = {rate(kv.second["misconfigured"], "misconfigured", path),
                                  rate(kv.second["fine"], "fine", path)};
        }
    }
    return r;
}

void emit_reliability(YAML::Emitter& out, const Reliability& r) {
    out << YAML::BeginMap;
    out << YAML::Key << "sensitivity" << YAML::Value << r.sensitivity;
    out << YAML::Key << "false_alarm" << YAML::Value << r.false_alarm;
    if (r.scale != 1.0) out << YAML::Key << "scale" << YAML::Value << r.scale;
    if (r.misconfigured > 0 || r.fine > 0)
        out << YAML::Key << "measured_on" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
            << "misconfigured" << YAML::Value << r.misconfigured << YAML::Key << "fine" << YAML::Value << r.fine
            << YAML::EndMap;
    if (!r.categories.empty()) {
        out << YAML::Key << "categories" << YAML::Value << YAML::BeginMap;
        for (const auto& [name, c] : r.categories)
            out << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "misconfigured"
                << YAML::Value << c.first << YAML::Key << "fine" << YAML::Value << c.second << YAML::EndMap;
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
}

}  // namespace

std::string weights_yaml(const Weights& w) {
    YAML::Emitter out;
    out.SetDoublePrecision(10);
    out << YAML::BeginMap;
    if (!w.source.empty()) out << YAML::Key << "source" << YAML::Value << w.source;
    out << YAML::Key << "prior" << YAML::Value << w.prior;
    out << YAML::Key << "threshold" << YAML::Value << w.threshold;
    if (w.default_llm) {
        out << YAML::Key << "default_llm" << YAML::Value;
        emit_reliability(out, *w.default_llm);
    }
    out << YAML::Key << "voters" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, r] : w.voters) {
        out << YAML::Key << name << YAML::Value;
        emit_reliability(out, r);
    }
    out << YAML::EndMap << YAML::EndMap;
    return std::string("# ciri weights: each voter's measured reliability (ciri calibrate)\n") + out.c_str() + "\n";
}

Expected<Weights> read_weights_text(const std::string& text, const std::string& path) {
    try {
        YAML::Node root = YAML::Load(text);
        expect_keys(root, "the weights file", {"source", "prior", "threshold", "default_llm", "voters"}, path);
        Weights w;
        if (root["source"]) w.source = root["source"].as<std::string>();
        if (!root["prior"]) bad(root, "the weights file needs a prior", path);
        w.prior = rate(root["prior"], "prior", path);
        if (root["threshold"]) w.threshold = number(root["threshold"], "threshold", path);
        if (root["default_llm"]) w.default_llm = read_reliability(root["default_llm"], "default_llm", path);
        if (const auto& voters = root["voters"]) {
            if (!voters.IsMap()) bad(voters, "'voters' must be a mapping", path);
            for (const auto& kv : voters) {
                auto name = kv.first.as<std::string>();
                w.voters[name] = read_reliability(kv.second, "voter '" + name + "'", path);
            }
        }
        return w;
    } catch (const Error& e) {
        return std::unexpected(e);
    } catch (const YAML::Exception& e) {
        return std::unexpected(Error{e.msg, e.mark.line + 1, path});
    }
}

Expected<Weights> read_weights(const std::filesystem::path& path) {
    // Bounded, and only a regular file: a weights path may come from a repository's .ciri.yaml.
    auto text = read_text_file(path);
    if (!text) return std::unexpected(Error{"cannot read the weights file: " + text.error().message, 0, path.string()});
    return read_weights_text(*text, path.string());
}

Expected<Weights> default_weights() {
    return read_weights(data_dir() / "datasets" / "default-weights.yaml");
}

}  // namespace ciri
