#include "ciri/rules/facts.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "parsers/text.hpp"

namespace ciri {

namespace fs = std::filesystem;

namespace {

// GPU names are written many ways: compare without case, '-', '_' and spaces.
std::string squash(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != '-' && c != '_' && c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i)
        if (i == s.size() || s[i] == sep) {
            out.emplace_back(trim(s.substr(start, i - start)));
            start = i + 1;
        }
    return out;
}

// Rows of a facts table (header line `name<TAB>...` first, `#` comments skipped).
Expected<std::vector<std::vector<std::string>>> read_table(const fs::path& path, size_t columns) {
    std::ifstream in(path);
    if (!in) return std::unexpected(Error{"cannot read facts table", 0, path.string()});
    std::vector<std::vector<std::string>> rows;
    std::string line;
    int n = 0;
    bool header = true;
    while (std::getline(in, line)) {
        ++n;
        if (trim(line).empty() || trim(line).starts_with("#")) continue;
        if (header) {
            header = false;
            continue;
        }
        auto f = split(line, '\t');
        if (f.size() != columns)
            return std::unexpected(Error{"expected " + std::to_string(columns) + " tab-separated columns", n, path.string()});
        rows.push_back(std::move(f));
    }
    return rows;
}

// The row whose name (column 0) or one of whose aliases (column 1, comma-separated) is `want`,
// both compared through `norm`; nullptr when none.
using Rows = std::vector<std::vector<std::string>>;
const std::vector<std::string>* find_row(const Rows& rows, std::string_view want, std::string (*norm)(std::string_view)) {
    std::string w = norm(want);
    for (const auto& r : rows) {
        if (norm(r[0]) == w) return &r;
        for (const auto& a : split(r[1], ','))
            if (!a.empty() && norm(a) == w) return &r;
    }
    return nullptr;
}

bool positive_int(std::string_view v) {
    if (v.empty() || v.size() > 9) return false;
    if (!std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) return false;
    return std::stol(std::string(v)) > 0;
}

Expected<void> add_gpu(std::string_view name, const fs::path& data_dir, Facts& f) {
    const fs::path table = data_dir / "facts" / "gpus.tsv";
    auto rows = read_table(table, 6);
    if (!rows) return std::unexpected(rows.error());
    if (const auto* row = find_row(*rows, name, squash)) {
        const auto& r = *row;
        f.values["gpu"] = r[0];
        f.values["gpu.memory_gb"] = r[2];
        if (!r[3].empty()) f.values["gpu.compute_capability"] = r[3];
        f.values["gpu.bf16"] = r[4];
        f.values["gpu.fp8"] = r[5];
        return {};
    }
    return fail("unknown GPU '" + std::string(name) + "': see " + table.string() + " for the names known");
}

// A Hugging Face config.json: the fields every decoder config has, under their usual names.
Expected<void> add_model_config(const fs::path& path, Facts& f) {
    std::ifstream in(path);
    if (!in) return fail("cannot read model config '" + path.string() + "'");
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail("model config '" + path.string() + "' is not a JSON object");
    f.values["model"] = path.string();
    auto take = [&](const char* fact, std::initializer_list<const char*> keys) {
        for (const char* k : keys)
            if (j.contains(k) && j[k].is_number_integer()) {
                f.values[fact] = std::to_string(j[k].get<long long>());
                return;
            }
    };
    take("model.num_layers", {"num_hidden_layers", "n_layer", "num_layers"});
    take("model.num_attention_heads", {"num_attention_heads", "n_head"});
    take("model.num_kv_heads", {"num_key_value_heads", "multi_query_group_num"});
    take("model.hidden_size", {"hidden_size", "n_embd", "d_model"});
    take("model.vocab_size", {"vocab_size", "padded_vocab_size"});
    take("model.max_position_embeddings", {"max_position_embeddings", "n_positions", "seq_length"});
    // Without num_key_value_heads a config has one KV head per attention head.
    if (!f.values.contains("model.num_kv_heads") && f.values.contains("model.num_attention_heads"))
        f.values["model.num_kv_heads"] = f.values["model.num_attention_heads"];
    return {};
}

Expected<void> add_model(std::string_view id, const fs::path& data_dir, Facts& f) {
    std::error_code ec;
    fs::path p(id);
    if (fs::is_directory(p, ec)) p /= "config.json";
    if (fs::is_regular_file(p, ec)) return add_model_config(p, f);
    const fs::path table = data_dir / "facts" / "models.tsv";
    auto rows = read_table(table, 8);
    if (!rows) return std::unexpected(rows.error());
    if (const auto* row = find_row(*rows, id, to_lower)) {
        const auto& r = *row;
        f.values["model"] = r[0];
        const char* names[] = {"model.num_layers", "model.num_attention_heads", "model.num_kv_heads",
                               "model.hidden_size", "model.vocab_size", "model.max_position_embeddings"};
        for (size_t i = 0; i < 6; ++i) f.values[names[i]] = r[2 + i];
        return {};
    }
    return fail("unknown model '" + std::string(id) + "': give a Hugging Face id from " + table.string() +
                " or the path of the model's config.json");
}

}  // namespace

const std::vector<std::string_view>& context_keys() {
    static const std::vector<std::string_view> keys = {"world_size", "nodes", "gpus_per_node", "gpu", "model", "version"};
    return keys;
}

std::string_view context_key_of(std::string_view fact) {
    size_t dot = fact.find('.');
    return dot == std::string_view::npos ? fact : fact.substr(0, dot);
}

std::optional<std::string> Facts::get(std::string_view name) const {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Facts::describe() const {
    std::vector<std::string> out;
    for (std::string_view k : context_keys()) {
        auto v = get(k);
        if (!v) continue;
        std::string line = std::string(k) + "=" + *v;
        if (k == "gpu") {
            line += " (" + values.at("gpu.memory_gb") + " GB";
            if (auto cc = get("gpu.compute_capability")) line += ", compute capability " + *cc;
            line += get("gpu.bf16") == "1" ? ", bf16" : ", no bf16";
            line += get("gpu.fp8") == "1" ? ", fp8)" : ", no fp8)";
        } else if (k == "model") {
            std::string parts;
            for (auto [fact, label] : {std::pair{"model.num_layers", "layers"}, {"model.num_attention_heads", "attention heads"},
                                       {"model.num_kv_heads", "KV heads"}, {"model.hidden_size", "hidden size"},
                                       {"model.vocab_size", "vocabulary"},
                                       {"model.max_position_embeddings", "max positions"}})
                if (auto x = get(fact)) parts += (parts.empty() ? "" : ", ") + *x + " " + label;
            if (!parts.empty()) line += " (" + parts + ")";
        }
        out.push_back(std::move(line));
    }
    return out;
}

Expected<Facts> resolve_facts(const std::map<std::string, std::string>& given, const fs::path& data_dir) {
    Facts f;
    for (const auto& [k, v] : given) {
        if (std::find(context_keys().begin(), context_keys().end(), k) == context_keys().end()) {
            std::string known;
            for (auto key : context_keys()) known += (known.empty() ? "" : ", ") + std::string(key);
            return fail("unknown context key '" + k + "' (known: " + known + ")");
        }
        if ((k == "world_size" || k == "nodes" || k == "gpus_per_node") && !positive_int(v))
            return fail("context " + k + " must be a positive integer, not '" + v + "'");
        if (v.empty()) return fail("context " + k + " is empty");
        if (k == "gpu") {
            if (auto ok = add_gpu(v, data_dir, f); !ok) return std::unexpected(ok.error());
        } else if (k == "model") {
            if (auto ok = add_model(v, data_dir, f); !ok) return std::unexpected(ok.error());
        } else {
            f.values[k] = v;
        }
    }
    auto nodes = f.get("nodes"), per = f.get("gpus_per_node"), world = f.get("world_size");
    if (nodes && per) {
        std::string product = std::to_string(std::stol(*nodes) * std::stol(*per));
        if (world && *world != product)
            return fail("context world_size=" + *world + " disagrees with nodes x gpus_per_node = " + product);
        f.values["world_size"] = product;
    }
    return f;
}

Expected<void> add_context_arg(std::string_view arg, std::map<std::string, std::string>& out) {
    size_t eq = arg.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == arg.size())
        return fail("--context takes KEY=VALUE, not '" + std::string(arg) + "'");
    out[std::string(trim(arg.substr(0, eq)))] = std::string(trim(arg.substr(eq + 1)));
    return {};
}

}  // namespace ciri
