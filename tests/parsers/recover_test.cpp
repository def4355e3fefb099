#include "parsers/recover.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "parsers/text.hpp"
#include "tests/parsers/parser_test_util.hpp"

using namespace ciri;
using ciri::test::read_fixture;

namespace {

RecoveredParse recover_ok(std::string_view format, std::string_view text) {
    const Format* f = find_format(format);
    REQUIRE(f);
    auto r = parse_recovering(*f, text, {});
    INFO((r ? "" : r.error().format()));
    REQUIRE(r.has_value());
    return *r;
}

const Parameter* find_key(const std::vector<Parameter>& ps, std::string_view key) {
    for (const auto& p : ps)
        if (p.key == key) return &p;
    return nullptr;
}

}  // namespace

TEST_CASE("recover: a line format keeps every other parameter and reports each bad line", "[recover]") {
    auto r = recover_ok("conf", "a = 1\n'oops = 2\nb = 3\nc = 'unterminated\nd = 4\n");
    REQUIRE(r.errors.size() == 2);
    CHECK(r.errors[0].line == 2);
    CHECK(r.errors[0].message == "expected a parameter name");
    CHECK(r.errors[1].line == 4);
    CHECK(r.errors[1].key == "c");
    CHECK(r.errors[1].text == "c = 'unterminated");
    REQUIRE(r.params.size() == 3);
    CHECK(r.params[0].key == "a");
    CHECK(r.params[1].key == "b");
    CHECK(r.params[2].key == "d");
    CHECK(r.params[2].line == 5);
}

TEST_CASE("recover: ini errors keep the section of the keys after them", "[recover]") {
    auto r = recover_ok("ini", "[mysqld]\nport = 3306\n= nothing\nuser = mysql\n");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].line == 3);
    CHECK(find_key(r.params, "mysqld.user"));
    CHECK(find_key(r.params, "mysqld.port"));
}

TEST_CASE("recover: env, directives, slurm, sbatch and args go on past a bad line", "[recover]") {
    auto env = recover_ok("env", "A=1\nthis is not an assignment\nB=2\n");
    REQUIRE(env.errors.size() == 1);
    CHECK(env.errors[0].line == 2);
    CHECK(find_key(env.params, "B"));

    auto dir = recover_ok("directives", "port 6379\nrequirepass \"abc\nmaxmemory 2gb\n");
    REQUIRE(dir.errors.size() == 1);
    CHECK(dir.errors[0].key == "requirepass");
    CHECK(find_key(dir.params, "maxmemory"));

    auto args = recover_ok("args", "--num-layers 24\n--data-path 'unclosed\n--hidden-size 1024\n");
    REQUIRE(args.errors.size() == 1);
    CHECK(args.errors[0].line == 2);
    CHECK(args.errors[0].key == "data-path");
    CHECK(find_key(args.params, "hidden-size"));
    CHECK(find_key(args.params, "num-layers"));

    auto sbatch = recover_ok("sbatch", "#!/bin/bash\n#SBATCH --nodes=2\n#SBATCH --job-name=\"x\n#SBATCH --time=1:00:00\n");
    REQUIRE(sbatch.errors.size() == 1);
    CHECK(sbatch.errors[0].key == "job-name");
    CHECK(find_key(sbatch.params, "time"));
}

TEST_CASE("recover: yaml reports its first error, naming the nested key, and what came before", "[recover]") {
    auto r = recover_ok("yaml", "name: infra0\nlog:\n  level: info\n  discovery: file:::\n  other: 1\n");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].line == 4);
    CHECK(r.errors[0].key == "log.discovery");
    CHECK(find_key(r.params, "name"));
    CHECK(find_key(r.params, "log.level"));
    for (const auto& p : r.params) CHECK(p.line < 4);
}

TEST_CASE("recover: json and xml keep the parameters before the error", "[recover]") {
    auto j = recover_ok("json", "{\n  \"train_batch_size\": 8,\n  \"fp16\": {\n    \"enabled\": true,\n    \"loss_scale\" 0\n  }\n}\n");
    REQUIRE(j.errors.size() == 1);
    CHECK(j.errors[0].line == 5);
    CHECK(j.errors[0].key == "loss_scale");
    CHECK(find_key(j.params, "train_batch_size"));
    CHECK(find_key(j.params, "fp16.enabled"));

    auto x = recover_ok("hadoop-xml",
                        "<configuration>\n<property><name>dfs.replication</name><value>3</value></property>\n"
                        "<property><name>dfs.x</name><value>1</valu></property>\n</configuration>\n");
    REQUIRE(x.errors.size() == 1);
    CHECK(x.errors[0].line == 3);
    CHECK(x.errors[0].key == "dfs.x");
    CHECK(find_key(x.params, "dfs.replication"));
}

TEST_CASE("recover: an error the parser places nowhere blames the last non-blank line", "[recover]") {
    auto r = recover_ok("xml", "\n\n");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].line >= 1);
}

TEST_CASE("recover: limits stay errors, not syntax findings", "[recover]") {
    const Format* f = find_format("conf");
    ParseLimits few;
    few.max_params = 2;
    auto r = parse_recovering(*f, "a = 1\nb = 2\nc = 3\n", few);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.starts_with("more than 2"));
    ParseLimits shallow;
    shallow.max_depth = 2;
    auto deep = parse_recovering(*find_format("json"), "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}", shallow);
    REQUIRE_FALSE(deep);
    CHECK(is_limit_error(deep.error()));
}

TEST_CASE("recover: a file full of errors stops after the cap and says so", "[recover]") {
    std::string text;
    for (size_t i = 0; i < kMaxSyntaxErrors + 50; ++i) text += "'bad\n";
    text += "good = 1\n";
    auto r = recover_ok("conf", text);
    REQUIRE(r.errors.size() == kMaxSyntaxErrors);
    CHECK(r.errors.back().message.find("too many syntax errors") != std::string::npos);
}

TEST_CASE("recover: key_named_by reads keys the way each format writes them", "[recover]") {
    CHECK(key_named_by("properties", "clientPort=2181\n", 1) == "clientPort");
    CHECK(key_named_by("env", "export NCCL_DEBUG='INFO\n", 1) == "NCCL_DEBUG");
    CHECK(key_named_by("ini", "[client]\nport = 1\n", 2) == "client.port");
    CHECK(key_named_by("sbatch", "#SBATCH --gres=gpu:8\n", 1) == "gres");
    CHECK(key_named_by("json", "  \"fp16\": {\n", 1) == "fp16");
    CHECK(key_named_by("conf", "# a comment\n", 1) == "");
    CHECK(key_named_by("conf", "x = 1\n", 7) == "");
}

// Line-level mutations of valid files, as an editor's slip makes them.
namespace {

struct FormatFixture {
    const char* format;
    const char* file;
};

const FormatFixture kFixtures[] = {
    {"args", "parsers/args/megatron_pretrain_gpt.args"},
    {"conf", "parsers/conf/postgresql.conf"},
    {"directives", "parsers/directives/redis.conf"},
    {"env", "parsers/env/app.env"},
    {"hadoop-xml", "parsers/hadoop-xml/hdfs-site.xml"},
    {"ini", "parsers/ini/my.cnf"},
    {"json", "parsers/json/ds_config.json"},
    {"properties", "parsers/properties/zoo.cfg"},
    {"python", "parsers/python/settings.py"},
    {"sbatch", "parsers/sbatch/train_gpt.sbatch"},
    {"slurm", "parsers/slurm/slurm.conf"},
    {"toml", "parsers/toml/pyproject.toml"},
    {"xml", "parsers/xml/server.xml"},
    {"yaml", "parsers/yaml/k8s_gpu_job.yaml"},
};

enum class Mutation { truncate, delete_delimiter, stray_quote, empty_value, duplicate, count };

// `lines` with line `at` (0-based) mutated; `inserted` tells whether a line was added after it.
std::string mutate(std::vector<std::string> lines, size_t at, Mutation m, std::mt19937& rng, bool& inserted) {
    std::string& s = lines[at];
    inserted = false;
    auto pick = [&](size_t n) { return n == 0 ? size_t(0) : std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
    switch (m) {
        case Mutation::truncate: s.resize(pick(s.size())); break;
        case Mutation::delete_delimiter: {
            size_t d = s.find_first_of("=:<>\"'{}[], ");
            if (d != std::string::npos) s.erase(d, 1);
            break;
        }
        case Mutation::stray_quote: s.insert(pick(s.size() + 1), 1, pick(2) ? '"' : '\''); break;
        case Mutation::empty_value: {
            size_t d = s.find_first_of("=:");
            if (d == std::string::npos) d = s.find(' ');
            if (d != std::string::npos) s.resize(d + 1);
            break;
        }
        case Mutation::duplicate:
            lines.insert(lines.begin() + static_cast<long>(at) + 1, s);
            inserted = true;
            break;
        case Mutation::count: break;
    }
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace

TEST_CASE("recover: 1000 line mutations per format never crash, always place their errors, and line "
          "formats keep every unmutated parameter",
          "[recover][mutation]") {
    for (const auto& fx : kFixtures) {
        const std::string text = read_fixture(fx.file);
        const Format* format = find_format(fx.format);
        REQUIRE(format);
        auto clean = parse_recovering(*format, text, {});
        REQUIRE(clean);
        REQUIRE(clean->errors.empty());
        std::vector<std::string> lines;
        std::vector<size_t> candidates;  // lines holding something
        for (const auto& l : split_lines(text)) {
            if (!is_blank(l.text)) candidates.push_back(lines.size());
            lines.emplace_back(l.text);
        }
        std::mt19937 rng(20261204);
        int failed = 0, kept_checked = 0;
        for (int i = 0; i < 1000; ++i) {
            size_t at = candidates[std::uniform_int_distribution<size_t>(0, candidates.size() - 1)(rng)];
            auto m = static_cast<Mutation>(i % static_cast<int>(Mutation::count));
            bool inserted = false;
            std::string mutant = mutate(lines, at, m, rng, inserted);
            INFO(fx.format << " mutation " << i << " at line " << at + 1 << ":\n" << mutant);
            auto r = parse_recovering(*format, mutant, {});
            REQUIRE(r.has_value());
            int line_count = static_cast<int>(split_lines(mutant).size());
            for (const auto& e : r->errors) {
                CHECK(e.line >= 1);
                CHECK(e.line <= line_count);
            }
            if (r->errors.empty()) continue;
            ++failed;
            if (!is_line_format(fx.format)) {
                for (const auto& p : r->params) CHECK(p.line < r->errors.front().line);
                continue;
            }
            // Every parameter of the clean file on another line is still read, as it was.
            const int mutated = static_cast<int>(at) + 1;
            std::multimap<int, const Parameter*> by_line;
            for (const auto& p : r->params) by_line.emplace(p.line, &p);
            // Slurm and properties give a continued line's parameters the line it starts on.
            int logical = mutated;
            bool joins = fx.format == std::string_view("slurm") || fx.format == std::string_view("properties");
            while (joins && logical > 1 && lines[logical - 2].ends_with('\\')) --logical;
            for (const auto& p : clean->params) {
                // A parameter is mutated when the changed line is one of the lines it spans.
                int last = p.line + static_cast<int>(std::ranges::count(p.value, '\n'));
                if ((mutated >= p.line && mutated <= last) || p.line == logical) continue;
                int line = p.line + (inserted && p.line > mutated ? 1 : 0);
                INFO("parameter " << p.key << " = " << p.value << " of line " << p.line);
                // A broken [section] header moves the keys below it to the section above.
                // So do positional arguments after a broken one (their index is their key).
                bool ini = fx.format == std::string_view("ini") || p.key.starts_with("_positional");
                auto [from, to] = by_line.equal_range(line);
                bool kept = std::any_of(from, to, [&](const auto& e) {
                    return (ini || e.second->key == p.key) && e.second->value == p.value;
                });
                CHECK(kept);
                ++kept_checked;
            }
        }
        INFO(fx.format << ": " << failed << " of 1000 mutants had syntax errors");
        // Java reads every .properties line as some key and value; only a malformed \uXXXX
        // escape fails, and these mutations make none.
        if (fx.format == std::string_view("properties")) continue;
        CHECK(failed > 0);
        if (is_line_format(fx.format)) CHECK(kept_checked > 0);
    }
}
