// A RunReport with one file of each verdict, shared by the reporter tests.
#pragma once

#include "ciri/report/report.hpp"

namespace ciri::test {

inline RunReport sample_report() {
    RunReport r;
    FileResult bad{.path = "conf/hdfs-site.xml", .system = "hdfs", .version = "3.3.0", .format = "hadoop-xml", .verdict = Outcome::misconfigured};
    bad.findings.push_back({{"dfs.datanode.http.address", 27, "0.0.0.0:98640",
                             "port 98640 is out of range 0-65535", 2, 3, {"openai/gpt-4o", "rules"}},
                            ""});
    bad.findings.push_back(
        {{"dfs.replication", 6, "3", "too low for this cluster", 1, 3, {"ollama/x"}}, "accepted risk, see TICKET-1"});
    FileResult good{.path = "conf/redis.conf", .system = "redis", .version = "", .format = "directives", .verdict = Outcome::valid};
    FileResult unsure{.path = "conf/zoo.cfg", .system = "zookeeper", .version = "", .format = "properties", .verdict = Outcome::inconclusive};
    unsure.notes.push_back("backend openai/gpt-4o down");
    FileResult broken{.path = "conf/broken, \"odd\" <name>.xml", .system = "", .version = "", .format = "hadoop-xml", .verdict = Outcome::error};
    broken.error = "expected </property>";
    broken.error_line = 12;
    r.files = {bad, good, unsure, broken};
    r.usage.requests = 12;
    r.usage.cached_requests = 3;
    r.usage.prompt_tokens = 9000;
    r.usage.completion_tokens = 400;
    r.usage.cost_usd = 0.0123;
    r.backends_down = {"openai/gpt-4o"};
    return r;
}

/// A RunReport with one file whose line 3 has a YAML syntax error.
inline RunReport syntax_report() {
    RunReport report;
    FileResult file{.path = "etcd.yaml", .verdict = Outcome::misconfigured};
    ReportedFinding f;
    f.kind = "syntax";
    f.parameter = "discovery";
    f.line = 3;
    f.value = "discovery: file:::";
    f.reason = "syntax error: illegal map value";
    file.findings.push_back(f);
    report.files.push_back(file);
    return report;
}

}  // namespace ciri::test
