#include <catch2/catch.hpp>
#include <sstream>

#include "ciri/report/reporter.hpp"
#include "tests/report/report_sample.hpp"

using namespace ciri;

TEST_CASE("github output: one ::error per active finding, escaped", "[reporter][github]") {
    std::ostringstream out;
    find_reporter("github")->render(test::sample_report(), out, {});
    std::string s = out.str();
    CHECK(s.find("::error file=conf/hdfs-site.xml,line=27,title=ciri%3A dfs.datanode.http.address::"
                 "dfs.datanode.http.address = 0.0.0.0:98640: port 98640 is out of range 0-65535 "
                 "[votes 2/3: openai/gpt-4o, rules]\n") != std::string::npos);
    CHECK(s.find("dfs.replication") == std::string::npos);
    CHECK(s.find("::warning file=conf/zoo.cfg,line=1") != std::string::npos);
    // Commas in a file name would end the property: they must be escaped.
    CHECK(s.find("file=conf/broken%2C \"odd\" <name>.xml,line=12") != std::string::npos);
    for (size_t pos = 0; (pos = s.find('\n', pos)) != std::string::npos; ++pos)
        CHECK((pos + 1 == s.size() || s.compare(pos + 1, 2, "::") == 0));
}
