#include "ciri/backends/model_spec.hpp"

#include <catch2/catch.hpp>

using ciri::parse_model_spec;

TEST_CASE("model spec: provider, model and optional base url", "[model_spec]") {
    auto a = parse_model_spec("openai/gpt-4o");
    REQUIRE(a);
    CHECK(a->provider == "openai");
    CHECK(a->model == "gpt-4o");
    CHECK(a->base_url.empty());

    auto b = parse_model_spec("openai/Qwen2.5-7B-Instruct@http://127.0.0.1:8000/v1/");
    REQUIRE(b);
    CHECK(b->model == "Qwen2.5-7B-Instruct");
    CHECK(b->base_url == "http://127.0.0.1:8000/v1");
    CHECK(b->to_string() == "openai/Qwen2.5-7B-Instruct@http://127.0.0.1:8000/v1");

    auto c = parse_model_spec("ollama/qwen2.5-coder:7b");
    REQUIRE(c);
    CHECK(c->model == "qwen2.5-coder:7b");

    auto d = parse_model_spec("command//usr/local/bin/my-llm");
    REQUIRE(d);
    CHECK(d->provider == "command");
    CHECK(d->model == "/usr/local/bin/my-llm");

    // An '@' that does not start a URL belongs to the model name.
    auto e = parse_model_spec("anthropic/claude-3-5-sonnet@20240620");
    REQUIRE(e);
    CHECK(e->model == "claude-3-5-sonnet@20240620");
    CHECK(e->base_url.empty());
    auto f = parse_model_spec("anthropic/claude-3-5-sonnet@20240620@https://proxy.example/x");
    REQUIRE(f);
    CHECK(f->model == "claude-3-5-sonnet@20240620");
    CHECK(f->base_url == "https://proxy.example/x");
}

TEST_CASE("model spec: errors say what is wrong", "[model_spec]") {
    auto check = [](const char* text, const char* needle) {
        auto r = parse_model_spec(text);
        REQUIRE_FALSE(r);
        INFO(r.error().message);
        CHECK(r.error().message.find(needle) != std::string::npos);
    };
    check("", "empty");
    check("gpt-4o", "no provider");
    check("openai/", "no model name");
    check("OpenAI/gpt-4o", "bad provider");
    check("openai/gpt 4o", "whitespace");
    check("openai/x@http://", "no host");
}

TEST_CASE("model spec: loopback detection", "[model_spec]") {
    CHECK(ciri::is_loopback_url("http://127.0.0.1:8000/v1"));
    CHECK(ciri::is_loopback_url("http://localhost:11434"));
    CHECK(ciri::is_loopback_url("http://[::1]:8080"));
    CHECK(ciri::is_loopback_url("http://127.9.9.9"));
    CHECK_FALSE(ciri::is_loopback_url("https://api.openai.com/v1"));
    CHECK_FALSE(ciri::is_loopback_url("http://127.0.0.1.evil.example/v1"));
    CHECK_FALSE(ciri::is_loopback_url("http://localhost.evil.example"));
    CHECK_FALSE(ciri::is_loopback_url("http://127.0.0.1@evil.example/"));
}
