// The emulator's HTTP server: routes per wire format, /stats, /reset, and the request pipeline
// (rpm limit, latency, answers, faults, billing, log).
#pragma once

#include <atomic>
#include <memory>

#include <httplib.h>

#include "tests/emulator/billing.hpp"
#include "tests/emulator/faults.hpp"
#include "tests/emulator/options.hpp"
#include "tests/emulator/rate_limiter.hpp"
#include "tests/emulator/recorded.hpp"
#include "tests/emulator/request_log.hpp"
#include "tests/emulator/responder.hpp"
#include "tests/emulator/script.hpp"
#include "tests/emulator/sleeper.hpp"
#include "tests/emulator/stats.hpp"
#include "tests/emulator/wire_anthropic.hpp"
#include "tests/emulator/wire_ollama.hpp"
#include "tests/emulator/wire_openai.hpp"

namespace ciri::emulator {

/// One emulator instance. Construct, bind(), then run() until stop() (from any thread).
class EmulatorServer {
  public:
    /// Loads the script, recorded answers and log file; throws std::runtime_error saying which
    /// one is unusable.
    explicit EmulatorServer(Options options);
    EmulatorServer(const EmulatorServer&) = delete;
    EmulatorServer& operator=(const EmulatorServer&) = delete;

    /// Binds the loopback port (0: any free one) and returns it; throws std::runtime_error.
    int bind();

    /// Serves requests until stop(); returns once the server has shut down.
    void run();

    /// Ends run() and cuts every latency/slow sleep short; safe from any thread, idempotent.
    void stop();

  private:
    void handle_chat(const WireFormat& wire, const httplib::Request& http, httplib::Response& res);
    void apply_fault(const WireFormat& wire, const Fault& fault, const ChatRequest& request,
                     const httplib::Request& http, httplib::Response& res);
    void reset();

    Options options_;
    std::unique_ptr<Script> script_;
    std::unique_ptr<RecordedAnswers> recorded_;
    std::unique_ptr<RequestLog> log_;
    RandomFaults faults_;
    std::unique_ptr<Responder> responder_;
    Billing billing_;
    RateLimiter limiter_;
    Stats stats_;
    Sleeper sleeper_;
    OpenAiFormat openai_;
    AnthropicFormat anthropic_;
    OllamaFormat ollama_;
    std::atomic<unsigned long long> next_id_{0};
    httplib::Server server_;
};

}  // namespace ciri::emulator
