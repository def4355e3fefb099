#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>

#include "tests/backends/llm_test_env.hpp"
#include "tests/cli/cli_run.hpp"

using namespace ciri::test;

namespace {

// Sets environment variables for one test and puts the old values back afterwards.
class ScopedEnv {
  public:
    void set(const char* name, std::optional<std::string> value) {
        const char* old = std::getenv(name);
        saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
        if (value)
            ::setenv(name, value->c_str(), 1);
        else
            ::unsetenv(name);
    }
    ~ScopedEnv() {
        for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
            if (it->second)
                ::setenv(it->first.c_str(), it->second->c_str(), 1);
            else
                ::unsetenv(it->first.c_str());
        }
    }

  private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace

TEST_CASE("doctor: every named backend is asked; answers, latency and key state",
          "[cli][doctor][emulator]") {
    EmulatorProcess emu;
    ScopedEnv env;
    env.set("OPENAI_API_KEY", std::nullopt);
    auto r = run_ciri({"doctor", "--model", "openai/m@" + emu.base_url() + "/v1", "--model",
                       "ollama/q@" + emu.base_url(), "--model", "anthropic/c@" + emu.base_url()});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("3 of 3 backends answered") != std::string::npos);
    CHECK(r.out.find("answer:  ok in ") != std::string::npos);
    CHECK(r.out.find("none needed") != std::string::npos);
    auto stats = emu.stats();
    CHECK(stats["by_endpoint"]["openai"] == 1);
    CHECK(stats["by_endpoint"]["ollama"] == 1);
    CHECK(stats["by_endpoint"]["anthropic"] == 1);
}

TEST_CASE("doctor: says what to do when a backend fails or has no key", "[cli][doctor][emulator]") {
    EmulatorProcess emu({"--fault", "auth:1"});
    ScopedEnv env;
    env.set("OPENAI_API_KEY", std::nullopt);
    auto r = run_ciri({"doctor", "--timeout", "5", "-m", "ollama/q@http://127.0.0.1:9", "-m",
                       "openai/gpt-4o@https://api.openai.com/v1", "-m",
                       "anthropic/c@" + emu.base_url()});
    INFO(r.out << r.err);
    CHECK(r.code == 3);
    CHECK(r.out.find("0 of 3 backends answered") != std::string::npos);
    CHECK(r.out.find("is Ollama running?") != std::string::npos);
    CHECK(r.out.find("key:     missing: set OPENAI_API_KEY") != std::string::npos);
    CHECK(r.out.find("export OPENAI_API_KEY=") != std::string::npos);
    CHECK(r.out.find("failed (auth)") != std::string::npos);
    CHECK(emu.stats()["requests"] == 1);  // nothing was sent to api.openai.com: no key, no request
}

TEST_CASE("doctor: without --model, checks what the environment implies",
          "[cli][doctor][emulator]") {
    EmulatorProcess emu;
    ScopedEnv env;
    env.set("ANTHROPIC_API_KEY", std::nullopt);
    env.set("OLLAMA_HOST",
            emu.base_url());  // answers chat but not /api/tags: no Ollama model found
    env.set("OPENAI_API_KEY", std::nullopt);
    auto none = run_ciri({"doctor"});
    CHECK(none.code == 3);
    CHECK(none.out.find("no backend configured") != std::string::npos);

    env.set("OPENAI_API_KEY", "sk-test-doctor");
    env.set("OPENAI_BASE_URL", emu.base_url() + "/v1");
    auto r = run_ciri({"doctor"});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("openai/gpt-4o-mini@" + emu.base_url() + "/v1") != std::string::npos);
    CHECK(r.out.find("OPENAI_API_KEY is set") != std::string::npos);
    CHECK(r.out.find("sk-test-doctor") == std::string::npos);
}
