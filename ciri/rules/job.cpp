#include "ciri/rules/job.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "ciri/rules/format.hpp"
#include "ciri/rules/spec.hpp"
#include "parsers/detect.hpp"
#include "parsers/text.hpp"

namespace ciri {

namespace {

bool plain_count(std::string_view v) {
    v = trim(v);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
    return !v.empty() && v.size() < 9 &&
           std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
           std::stol(std::string(v)) > 0;
}

std::string unquoted(std::string_view v) {
    v = trim(v);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
    return std::string(v);
}

// The GPU count of `gpu:8`, `gpu:h100:8`, `h100:8` or `8` (sbatch --gres / --gpus-per-node).
std::string gpu_count(std::string_view v, bool gres) {
    std::string s = unquoted(v);
    if (gres) {
        if (!s.starts_with("gpu")) return "";
        size_t comma = s.find(',');
        if (comma != std::string::npos) s = s.substr(0, comma);
    }
    size_t colon = s.rfind(':');
    std::string n = colon == std::string::npos ? (gres ? "" : s) : s.substr(colon + 1);
    return plain_count(n) ? n : "";
}

const Parameter* find_param(const ConfigFile& f, std::string_view key) {
    for (const auto& p : f.params)
        if (p.key == key) return &p;
    return nullptr;
}

// How many devices a gres.conf File= names: `/dev/nvidia[0-7]` is 8, `/dev/nvidia0,/dev/nvidia1` 2.
int device_count(std::string_view files) {
    int n = 0;
    for (const auto& part : [&] {
             std::vector<std::string> out;
             std::string cur;
             int depth = 0;
             for (char c : files) {
                 if (c == '[') ++depth;
                 if (c == ']') --depth;
                 if (c == ',' && depth == 0) out.push_back(cur), cur.clear();
                 else cur += c;
             }
             out.push_back(cur);
             return out;
         }()) {
        size_t open = part.find('['), close = part.find(']');
        if (open == std::string::npos || close == std::string::npos || close < open) {
            n += part.empty() ? 0 : 1;
            continue;
        }
        std::string inside = part.substr(open + 1, close - open - 1);
        size_t start = 0;
        while (start <= inside.size()) {
            size_t comma = std::min(inside.find(',', start), inside.size());
            std::string range = inside.substr(start, comma - start);
            size_t dash = range.find('-');
            try {
                n += dash == std::string::npos ? 1 : std::stoi(range.substr(dash + 1)) - std::stoi(range.substr(0, dash)) + 1;
            } catch (...) {
                return -1;
            }
            start = comma + 1;
        }
    }
    return n;
}

std::string where(const std::string& file, int line, const std::string& param) {
    return rules_detail::format("{}:{} ({})", file, line, param);
}

// A Kubernetes container's GPU limit, the end of its key.
constexpr std::string_view kGpuLimit = ".resources.limits.nvidia.com/gpu";

RuleFinding finding(const Parameter& p, std::string reason) {
    RuleFinding f{p.key, p.value, p.line, std::move(reason), 1.0, "Dependency", "Value Relationship", "job"};
    return f;
}

// A pod whose container asks for several GPUs runs NCCL (and DataLoader workers) across them,
// which needs shared memory: a container gets 64 MiB of /dev/shm unless the pod mounts a volume
// there or shares the node's IPC namespace, and NCCL then fails to extend its segments.
void check_shm(const ConfigFile& file, JobAnalysis& out) {
    for (const auto& p : file.params) {
        if (!p.key.ends_with(kGpuLimit) || !plain_count(p.value) || std::stol(unquoted(p.value)) < 2) continue;
        size_t at = p.key.rfind("containers[");
        if (at == std::string::npos) continue;
        std::string pod = p.key.substr(0, at);  // `...template.spec.`
        bool shared = false;
        for (const auto& q : file.params) {
            if (!q.key.starts_with(pod)) continue;
            std::string rest = q.key.substr(pod.size());
            std::string v = unquoted(q.value);
            if ((rest.ends_with(".mountPath") && (v == "/dev/shm" || v == "/dev/shm/")) ||
                (rest == "hostIPC" && (v == "true" || v == "True")))
                shared = true;
        }
        if (shared) continue;
        RuleFinding f = finding(p, rules_detail::format(
                                       "{} GPUs in one pod, and no volume at /dev/shm nor hostIPC: the container gets "
                                       "64 MiB of shared memory, and NCCL (and DataLoader workers) fail to extend "
                                       "their segments; mount an emptyDir with medium: Memory at /dev/shm",
                                       unquoted(p.value)));
        f.confidence = 0.8, f.category = "Environment", f.subcategory = "Resource";
        out.findings[file.path].push_back(std::move(f));
    }
}

// slurm.conf's `NodeName=X ... Gres=gpu[:type]:N` against gres.conf's lines for the same nodes.
void check_gres(const ConfigFile& conf, const ConfigFile& gres, JobAnalysis& out) {
    for (const auto& p : conf.params) {
        if (!p.key.starts_with("NodeName=") || !p.key.ends_with(".Gres")) continue;
        std::string nodes = p.key.substr(9, p.key.size() - 9 - 5);
        for (std::string item : [&] {
                 std::vector<std::string> v;
                 size_t s = 0;
                 std::string val = unquoted(p.value);
                 while (s <= val.size()) {
                     size_t c = std::min(val.find(',', s), val.size());
                     v.push_back(val.substr(s, c - s));
                     s = c + 1;
                 }
                 return v;
             }()) {
            // gpu[:type]:count
            std::vector<std::string> parts;
            size_t s = 0;
            while (s <= item.size()) {
                size_t c = std::min(item.find(':', s), item.size());
                parts.push_back(item.substr(s, c - s));
                s = c + 1;
            }
            if (parts.size() < 2 || parts[0] != "gpu") continue;
            std::string count = parts.back();
            size_t paren = count.find('(');
            if (paren != std::string::npos) count = count.substr(0, paren);
            if (!plain_count(count)) continue;
            std::string type = parts.size() >= 3 ? parts[1] : "";
            // gres.conf lines of these nodes naming gpu: NodeName=X Name=gpu[.Type|.File|.Count].
            std::string scope = "NodeName=" + nodes + " Name=gpu";
            int devices = 0;
            bool any = false;
            const Parameter* anchor = nullptr;
            std::string gres_type;
            for (const auto& g : gres.params) {
                if (!g.key.starts_with(scope + ".")) continue;
                any = true;
                std::string k = g.key.substr(scope.size() + 1);
                if (k == "File") {
                    int n = device_count(unquoted(g.value));
                    if (n < 0) return;
                    devices += n;
                    anchor = &g;
                } else if (k == "Count" && plain_count(g.value)) {
                    devices += std::stoi(unquoted(g.value));
                    anchor = &g;
                } else if (k == "Type") {
                    gres_type = unquoted(g.value);
                    if (!anchor) anchor = &g;
                }
            }
            if (!any || !anchor) continue;  // AutoDetect, or other node names: nothing to compare
            if (devices != std::stoi(count)) {
                std::string reason = rules_detail::format(
                    "nodes {} declare {} GPUs in {} but gres.conf gives them {} ({}): slurmd drains nodes whose GRES "
                    "count does not match",
                    nodes, count, where(conf.path, p.line, "Gres"), devices, where(gres.path, anchor->line, anchor->key));
                out.findings[conf.path].push_back(finding(p, reason));
                out.findings[gres.path].push_back(finding(*anchor, reason));
            } else if (!type.empty() && !gres_type.empty() && to_lower(type) != to_lower(gres_type)) {
                const Parameter* t = find_param(gres, scope + ".Type");
                std::string reason = rules_detail::format("nodes {} declare GPU type '{}' in {} but gres.conf says '{}' ({})",
                                                          nodes, type, where(conf.path, p.line, "Gres"), gres_type,
                                                          where(gres.path, t ? t->line : 0, "Type"));
                out.findings[conf.path].push_back(finding(p, reason));
                if (t) out.findings[gres.path].push_back(finding(*t, reason));
            }
        }
    }
}

}  // namespace

std::vector<JobFact> job_facts(const ConfigFile& file) {
    std::vector<JobFact> out;
    auto add = [&](const char* name, const Parameter* p, std::string value) {
        if (p && !value.empty()) out.push_back({name, std::move(value), file.path, p->key, p->line});
    };
    auto count = [&](std::string_view key) -> std::pair<const Parameter*, std::string> {
        const Parameter* p = find_param(file, key);
        return {p, p && plain_count(p->value) ? unquoted(p->value) : ""};
    };
    const std::string& s = file.system;
    if (s == "sbatch") {
        auto [n, nv] = count("nodes");
        add("nodes", n, nv);
        if (const Parameter* g = find_param(file, "gpus-per-node")) add("gpus_per_node", g, gpu_count(g->value, false));
        else if (const Parameter* r = find_param(file, "gres")) add("gpus_per_node", r, gpu_count(r->value, true));
    } else if (s == "torchrun") {
        auto [n, nv] = count("nnodes");
        add("nodes", n, nv);
        for (const char* k : {"nproc_per_node", "nproc-per-node"}) {
            auto [g, gv] = count(k);
            add("gpus_per_node", g, gv);
        }
    } else if (s == "accelerate") {
        auto [m, mv] = count("num_machines");
        add("nodes", m, mv);
        auto [p, pv] = count("num_processes");
        add("world_size", p, pv);
    } else if (s == "nemo") {
        auto [n, nv] = count("trainer.num_nodes");
        add("nodes", n, nv);
        auto [d, dv] = count("trainer.devices");
        add("gpus_per_node", d, dv);
    } else if (s == "megatron") {
        // Tensor x pipeline parallelism: DeepSpeed's data-parallel size is the world size over it.
        auto [tp, tpv] = count("tensor-model-parallel-size");
        auto [pp, ppv] = count("pipeline-model-parallel-size");
        long product = (tpv.empty() ? 1 : std::stol(tpv)) * (ppv.empty() ? 1 : std::stol(ppv));
        if (product > 1) add("model_parallel_size", tp ? tp : pp, std::to_string(product));
    } else if (s == "kubernetes") {
        // The first GPU container: its limit, and the processes its torchrun command starts.
        for (const auto& p : file.params) {
            if (!p.key.ends_with(kGpuLimit) || !plain_count(p.value)) continue;
            add("gpus_per_node", &p, unquoted(p.value));
            std::string container = p.key.substr(0, p.key.size() - kGpuLimit.size());
            std::vector<const Parameter*> words;
            for (const auto& q : file.params)
                if (q.key.starts_with(container + ".command[") || q.key.starts_with(container + ".args[")) words.push_back(&q);
            for (size_t i = 0; i < words.size(); ++i) {
                std::string w = unquoted(words[i]->value);
                for (std::string_view flag : {"--nproc_per_node", "--nproc-per-node"}) {
                    if (w.starts_with(std::string(flag) + "=")) add("gpus_per_node", words[i], gpu_count(w.substr(flag.size() + 1), false));
                    else if (w == flag && i + 1 < words.size())
                        add("gpus_per_node", words[i + 1], gpu_count(unquoted(words[i + 1]->value), false));
                }
            }
            break;
        }
    }
    return out;
}

JobAnalysis analyze_job(const std::vector<const ConfigFile*>& files, const Facts& given) {
    JobAnalysis out;
    out.facts = given;
    std::map<std::string, JobFact> first;  // the first file to state each fact
    auto state = [&](const JobFact& f) {
        if (given.get(f.name)) {
            // A given fact is true: a file that says otherwise is wrong.
            if (*given.get(f.name) != f.value)
                for (const ConfigFile* file : files)
                    if (file->path == f.file)
                        if (const Parameter* p = find_param(*file, f.param))
                            out.findings[f.file].push_back(finding(
                                *p, rules_detail::format("{} is {} here ({}), but the job's {} is {} (--context)", f.name,
                                                         f.value, where(f.file, f.line, f.param), f.name,
                                                         *given.get(f.name))));
            return;
        }
        auto [it, fresh] = first.emplace(f.name, f);
        if (fresh) {
            out.facts.values[f.name] = f.value;
            out.sources[f.name] = out.facts.sources[f.name] = where(f.file, f.line, f.param);
            return;
        }
        const JobFact& a = it->second;
        // One file may state a fact twice (a pod's GPU limit and its launcher's process count).
        if (a.value == f.value || (a.file == f.file && a.param == f.param)) return;
        std::string reason = rules_detail::format("the job's {} is {} in {} but {} in {}", f.name, a.value,
                                                  where(a.file, a.line, a.param), f.value, where(f.file, f.line, f.param));
        for (const JobFact* side : {&a, &f})
            for (const ConfigFile* file : files)
                if (file->path == side->file)
                    if (const Parameter* p = find_param(*file, side->param))
                        out.findings[side->file].push_back(finding(*p, reason));
    };
    for (const ConfigFile* f : files)
        for (const auto& fact : job_facts(*f)) state(fact);
    // world_size follows from nodes x GPUs per node; a file stating it otherwise disagrees.
    auto nodes = out.facts.get("nodes"), per = out.facts.get("gpus_per_node");
    if (nodes && per) {
        JobFact derived{"world_size", std::to_string(std::stol(*nodes) * std::stol(*per)), "", "", 0};
        if (auto w = out.facts.get("world_size"); w && *w != derived.value && !given.get("world_size")) {
            const JobFact& ws = first.at("world_size");
            std::string reason = rules_detail::format(
                "the job's world size is {} in {} but nodes x GPUs per node is {} x {} = {} ({} and {})", *w,
                where(ws.file, ws.line, ws.param), *nodes, *per, derived.value, out.sources["nodes"],
                out.sources["gpus_per_node"]);
            for (const ConfigFile* file : files)
                if (file->path == ws.file)
                    if (const Parameter* p = find_param(*file, ws.param)) out.findings[ws.file].push_back(finding(*p, reason));
        } else if (!w) {
            out.facts.values["world_size"] = derived.value;
            out.sources["world_size"] = out.facts.sources["world_size"] =
                out.sources["nodes"] + " x " + out.sources["gpus_per_node"];
        }
    }
    for (const ConfigFile* file : files)
        if (file->system == "kubernetes") check_shm(*file, out);
    // slurm.conf with gres.conf.
    for (const ConfigFile* conf : files)
        for (const ConfigFile* gres : files)
            if (conf != gres && conf->system == "slurm" && gres->system == "slurm" &&
                std::string_view(gres->path).ends_with("gres.conf") && !std::string_view(conf->path).ends_with("gres.conf"))
                check_gres(*conf, *gres, out);
    return out;
}

std::vector<std::vector<size_t>> group_jobs(const std::vector<const ConfigFile*>& files,
                                            const std::vector<std::vector<std::string>>& jobs, bool by_directory) {
    std::vector<std::vector<size_t>> out;
    std::vector<bool> taken(files.size(), false);
    auto names = [](const std::string& pattern, const std::string& path) {
        namespace fs = std::filesystem;
        if (pattern == path || fs::path(pattern).lexically_normal() == fs::path(path).lexically_normal()) return true;
        return pattern.find_first_of("*?") != std::string::npos && glob_match(pattern, path);
    };
    for (const auto& job : jobs) {
        std::vector<size_t> group;
        for (size_t i = 0; i < files.size(); ++i)
            if (files[i] && !taken[i] &&
                std::any_of(job.begin(), job.end(), [&](const std::string& p) { return names(p, files[i]->path); }))
                group.push_back(i), taken[i] = true;
        if (group.size() > 1) out.push_back(std::move(group));
    }
    if (!by_directory) return out;
    std::map<std::string, std::vector<size_t>> dirs;
    // Systems whose files belong to a GPU job: they state its facts or their rules use them.
    static const std::set<std::string, std::less<>> kJobSystems = {
        "sbatch", "torchrun", "accelerate", "nemo", "kubernetes", "megatron", "deepspeed", "hf-trainer", "vllm", "slurm"};
    for (size_t i = 0; i < files.size(); ++i) {
        if (!files[i] || taken[i] || !kJobSystems.contains(files[i]->system)) continue;
        dirs[std::filesystem::path(files[i]->path).parent_path().string()].push_back(i);
    }
    for (auto& [dir, group] : dirs) {
        std::set<std::string> systems;
        bool one_each = true;
        for (size_t i : group) {
            // slurm.conf and gres.conf are one system but two roles.
            std::string role = files[i]->system + ":" +
                               (std::string_view(files[i]->path).ends_with("gres.conf") ? "gres" : "");
            one_each = one_each && systems.insert(role).second;
        }
        if (one_each && group.size() > 1) out.push_back(std::move(group));
    }
    return out;
}

RulesVerdict check_file_alone(const ConfigFile& file, const SpecSet& spec, const RulesOptions& options) {
    RulesVerdict verdict = check_file(file, spec, options);
    merge_job_findings(verdict, analyze_job({&file}, options.facts ? *options.facts : Facts{}).findings[file.path]);
    return verdict;
}

void merge_job_findings(RulesVerdict& verdict, const std::vector<RuleFinding>& findings) {
    for (const auto& f : findings) {
        bool have = std::any_of(verdict.findings.begin(), verdict.findings.end(),
                                [&](const RuleFinding& x) { return x.param == f.param; });
        if (!have) verdict.findings.push_back(f);
    }
    std::stable_sort(verdict.findings.begin(), verdict.findings.end(),
                     [](const RuleFinding& a, const RuleFinding& b) { return a.line < b.line; });
}

}  // namespace ciri
