#include "tests/emulator/responder.hpp"

#include <catch2/catch.hpp>

using namespace ciri::emulator;
using nlohmann::json;

TEST_CASE("responder: JSON mode unfences, stop and max_tokens cut", "[responder]") {
    ChatRequest request;
    request.json_mode = true;
    Sample sample = shape_sample(builtin_default_answer(), request);
    CHECK(json::parse(sample.text)["hasError"] == false);
    CHECK(shape_sample("plain text", request).text == "plain text");

    ChatRequest stop;
    stop.stop = {"b", "", "cd"};
    Sample stopped = shape_sample("abcd", stop);
    CHECK(stopped.text == "a");
    CHECK(stopped.stop_sequence == "b");

    ChatRequest limited;
    limited.max_tokens = 1;
    Sample cut = shape_sample("abcdef", limited);
    CHECK(cut.text == "abcd");
    CHECK(cut.cut_by_max_tokens);
    CHECK(!shape_sample("abcd", limited).cut_by_max_tokens);
}

TEST_CASE("responder: script, then default; random request faults consume nothing", "[responder]") {
    Script script(json{
        {"rules",
         json::array({{{"match", "x"},
                       {"responses", json::array({{{"answer", "1"}}, {{"answer", "2"}}})}}})}});
    RandomFaults none({}, 1);
    Responder responder(&script, nullptr, std::nullopt, none);
    ChatRequest request;
    request.prompt = "x";
    request.n = 2;
    Decision decision = responder.decide(request);
    REQUIRE(decision.samples.size() == 2);
    CHECK(decision.samples[0].text == "1");
    CHECK(decision.samples[1].text == "2");
    request.prompt = "y";
    CHECK(responder.decide(request).samples[0].text == builtin_default_answer());

    RandomFaults always({{FaultKind::http_503, 1.0}}, 1);
    Responder failing(&script, nullptr, std::nullopt, always);
    script.rewind();
    request.prompt = "x";
    Decision failed = failing.decide(request);
    REQUIRE(failed.fault);
    CHECK(failed.fault->kind == FaultKind::http_503);
    CHECK(failed.samples.empty());
    CHECK(script.next(*script.find_rule(request)).answer == "1");
}
