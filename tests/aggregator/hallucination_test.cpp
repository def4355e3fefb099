#include "aggregator/hallucination.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "aggregator/answer.hpp"
#include "aggregator/ciri_result.hpp"
#include "tests/support/paths.hpp"

using ciri::ConfigFile;
using ciri::filter_hallucinations;
using ciri::normalize_param_name;

namespace {

ciri::Answer answer(std::vector<std::string> params) {
    ciri::Answer a;
    a.has_error = true;
    for (const auto& p : params) a.reasons.push_back("reason of " + p);
    a.params = std::move(params);
    return a;
}

ConfigFile ini_file() {
    ConfigFile f;
    f.params = {{"mysqld.port", "3306", 2, "", "mysqld"},
                {"mysqld.max_connections", "0", 3, "", "mysqld"},
                {"client.port", "3307", 6, "", "client"},
                {"client.socket", "/tmp/s", 7, "", "client"}};
    return f;
}

// The artifact's Hadoop XML and key=value files, read here without the parsers so the test
// depends only on the filter: each <name> or `key=` line becomes a parameter with its line.
ConfigFile artifact_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    bool xml = text.str().find("<configuration>") != std::string::npos;
    ConfigFile f;
    std::string line;
    static const std::regex xml_name(R"(<name>\s*([^<]*?)\s*</name>)");
    static const std::regex kv(R"(^\s*([A-Za-z_][\w.\-]*)\s*=\s*(.*)$)");
    for (int no = 1; std::getline(text, line); ++no) {
        std::smatch m;
        if (xml ? std::regex_search(line, m, xml_name) : std::regex_match(line, m, kv))
            f.params.push_back({m[1], m.size() > 2 ? std::string(m[2]) : "", no, "", ""});
    }
    return f;
}

}  // namespace

TEST_CASE("hallucination: normalized names", "[hallucination]") {
    CHECK(normalize_param_name("Dfs.Namenode-Max_Corrupt  File") ==
          "dfs.namenode.max.corrupt.file");
    CHECK(normalize_param_name("`'max_connections'`") == "max.connections");
    CHECK(normalize_param_name("tcp_keepalives_interval=0") == "tcp.keepalives.interval");
    CHECK(normalize_param_name("max_connections = 100") == "max.connections");
    CHECK(normalize_param_name("[mysqld] port") == "mysqld.port");
    CHECK(normalize_param_name("ipc.[port_number].levels") == "ipc.port.number.levels");
}

TEST_CASE("hallucination: exact, normalized and section matches use the file's key",
          "[hallucination]") {
    auto g = filter_hallucinations(answer({"[mysqld] port", "MYSQLD-MAX-CONNECTIONS", "socket",
                                           "client port", "mysqld.socket"}),
                                   ini_file());
    CHECK(g.answer.params == std::vector<std::string>{"mysqld.port", "mysqld.max_connections",
                                                      "client.socket", "client.port"});
    CHECK(g.answer.reasons ==
          std::vector<std::string>{"reason of [mysqld] port", "reason of MYSQLD-MAX-CONNECTIONS",
                                   "reason of socket", "reason of client port"});
    REQUIRE(g.matched.size() == 4);
    CHECK(g.matched[1].line == 3);
    CHECK(g.matched[1].value == "0");
    CHECK(g.matched[2].line == 7);
    // The socket is in [client] only: a model that files it under [mysqld] invented it.
    CHECK(g.dropped == std::vector<std::string>{"mysqld.socket"});
    CHECK(g.answer.has_error);
}

TEST_CASE("hallucination: ambiguous and unknown names are dropped", "[hallucination]") {
    auto g = filter_hallucinations(answer({"port", "bind_address", "max_connections"}), ini_file());
    // "port" exists in [mysqld] and [client]: which one the model meant is unknown.
    CHECK(g.dropped == std::vector<std::string>{"port", "bind_address"});
    CHECK(g.answer.params == std::vector<std::string>{"mysqld.max_connections"});
    CHECK(g.answer.reasons == std::vector<std::string>{"reason of max_connections"});
}

TEST_CASE("hallucination: all dropped means no error; repeats merge", "[hallucination]") {
    auto none = filter_hallucinations(answer({"nope", "also.nope"}), ini_file());
    CHECK_FALSE(none.answer.has_error);
    CHECK(none.answer.params.empty());
    CHECK(none.answer.reasons.empty());
    CHECK(none.dropped.size() == 2);
    auto twice = filter_hallucinations(answer({"client.port", "Client_Port"}), ini_file());
    CHECK(twice.answer.params == std::vector<std::string>{"client.port"});
    CHECK(twice.answer.reasons == std::vector<std::string>{"reason of client.port"});
    CHECK(twice.dropped.empty());
}

TEST_CASE("hallucination: ungrounded keeps the names", "[hallucination]") {
    auto g = ciri::ungrounded(answer({"a", "b"}));
    CHECK(g.answer.params == std::vector<std::string>{"a", "b"});
    REQUIRE(g.matched.size() == 2);
    CHECK(g.matched[1].key == "b");
    CHECK(g.matched[1].line == 0);
}

TEST_CASE("hallucination: answers recorded in the artifact", "[hallucination][artifact]") {
    auto root = ciri::test::shared_dir();
    if (!root) return;
    auto first_answer = [&](const std::string& rel) {
        auto r = ciri::read_ciri_result(*root / "results/synthesize_config" / rel);
        REQUIRE(r);
        auto a = ciri::extract_answer(r->rounds.at(0).at(0));
        REQUIRE(a);
        return *a;
    };
    auto file_of = [&](const std::string& rel) {
        auto id = ciri::ciri_result_id(rel);
        REQUIRE(id);
        return artifact_file(id->dataset_file(*root));
    };
    SECTION("a dotted name for a dashed key") {
        std::string rel = "hdfs/CodeLlama-34b-Instruct-hf/zero_shot/correct/44";
        auto r = ciri::read_ciri_result(*root / "results/synthesize_config" / rel);
        REQUIRE(r);
        ciri::Answer a;
        for (const auto& raw : r->rounds.at(0)) {
            a = *ciri::extract_answer(raw);
            if (!a.params.empty() && a.params[0] == "dfs.namenode.max.corrupt.file.blocks.returned")
                break;
        }
        REQUIRE(a.params.at(0) == "dfs.namenode.max.corrupt.file.blocks.returned");
        auto g = filter_hallucinations(a, file_of(rel));
        REQUIRE_FALSE(g.answer.params.empty());
        CHECK(g.answer.params[0] == "dfs.namenode.max-corrupt-file-blocks-returned");
        CHECK(g.matched[0].line == 7);
    }
    SECTION("key=value written as the name") {
        std::string rel = "postgresql/gpt-4-0125-preview/zero_shot/erroneous/4";
        auto a = first_answer(rel);
        auto g = filter_hallucinations(a, file_of(rel));
        CHECK(std::find(a.params.begin(), a.params.end(), "scram_iterations=ciri/ciri") !=
              a.params.end());
        CHECK(std::find(g.answer.params.begin(), g.answer.params.end(), "scram_iterations") !=
              g.answer.params.end());
        CHECK(g.dropped.empty());
    }
    SECTION("a parameter the file does not have") {
        std::string rel = "hbase/CodeLlama-34b-Instruct-hf/default/correct/48";
        auto r = ciri::read_ciri_result(*root / "results/synthesize_config" / rel);
        int dropped = 0;
        for (const auto& raw : r->rounds.at(0)) {
            auto g = filter_hallucinations(*ciri::extract_answer(raw), file_of(rel));
            dropped += std::count(g.dropped.begin(), g.dropped.end(), "hbase.master.port");
        }
        CHECK(dropped > 0);
    }
    SECTION("every Hadoop XML answer: kept names are file keys") {
        int kept = 0, dropped = 0;
        for (const auto& path : ciri::ciri_result_files(*root)) {
            auto id = ciri::ciri_result_id(path);
            if (id->system != "hdfs" && id->system != "hbase" && id->system != "hcommon") continue;
            auto file = artifact_file(id->dataset_file(*root));
            REQUIRE(file.params.size() == 8);
            auto r = ciri::read_ciri_result(path);
            REQUIRE(r);
            for (const auto& round : r->rounds)
                for (const auto& raw : round) {
                    auto g = filter_hallucinations(*ciri::extract_answer(raw), file);
                    for (const auto& p : g.answer.params)
                        CHECK(std::any_of(file.params.begin(), file.params.end(),
                                          [&](const ciri::Parameter& q) { return q.key == p; }));
                    kept += static_cast<int>(g.answer.params.size());
                    dropped += static_cast<int>(g.dropped.size());
                }
        }
        WARN("hallucination filter on the artifact's Hadoop XML answers: "
             << kept << " kept, " << dropped << " dropped");
        CHECK(dropped > 0);
        CHECK(kept > 10 * dropped);
    }
}

TEST_CASE("hallucination: a block or list name maps to the keys under it", "[hallucination]") {
    ConfigFile f;
    f.params = {{"log-outputs[0]", "stderr", 3, "", ""},
                {"zero_optimization.stage", "3", 5, "", ""},
                {"zero_optimization.offload_param.device", "cpu", 6, "", ""},
                {"zero_optimization_extra", "1", 9, "", ""},
                {"train_batch_size", "8", 10, "", ""}};
    auto g = filter_hallucinations(answer({"log-outputs", "Zero-Optimization", "TRAIN_BATCH_SIZE", "zero", "log"}), f);
    CHECK(g.answer.params == std::vector<std::string>{"log-outputs[0]", "zero_optimization.stage",
                                                      "zero_optimization.offload_param.device", "train_batch_size"});
    CHECK(g.answer.reasons == std::vector<std::string>{"reason of log-outputs", "reason of Zero-Optimization",
                                                       "reason of Zero-Optimization", "reason of TRAIN_BATCH_SIZE"});
    REQUIRE(g.matched.size() == 4);
    CHECK(g.matched[0].line == 3);
    // A prefix must end at a separator: "zero" and "log" name nothing in this file.
    CHECK(g.dropped == std::vector<std::string>{"zero", "log"});
}

TEST_CASE("hallucination: an environment list entry is named by its variable", "[hallucination]") {
    ConfigFile f;
    f.params = {{"spec.containers[0].env[0].name", "NCCL_DEBUG", 10, "", ""},
                {"spec.containers[0].env[0].value", "INFO", 11, "", ""},
                {"spec.containers[0].env[1].name", "\"NCCL_IB_DISABLE\"", 12, "", ""},
                {"spec.containers[0].env[1].value", "true", 13, "", ""},
                {"spec.containers[0].image", "pytorch", 14, "", ""}};
    auto g = filter_hallucinations(answer({"NCCL_IB_DISABLE", "NCCL_SOCKET_IFNAME"}), f);
    CHECK(g.answer.params == std::vector<std::string>{"spec.containers[0].env[1].value"});
    REQUIRE(g.matched.size() == 1);
    CHECK(g.matched[0].line == 13);
    // A variable the file does not set names nothing.
    CHECK(g.dropped == std::vector<std::string>{"NCCL_SOCKET_IFNAME"});
}
