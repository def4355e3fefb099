#include "tests/emulator/server.hpp"

#include <chrono>
#include <stdexcept>

#include "tests/emulator/connection.hpp"

namespace ciri::emulator {
namespace {

// Not the bare "application/json": cpp-httplib 0.11 compresses exactly that type (and text/*)
// whenever the client accepts it, with brotli at its default (slowest) quality 11 when the
// client accepts "br" (libcurl does): 0.85-1.0 of the 1.0-1.2 ms CPU a reply cost (perf: 70%
// in libbrotlienc). The emulator answers uncompressed, as a server may; the charset parameter
// leaves the media type what clients expect.
constexpr const char* kJson = "application/json; charset=utf-8";

std::string dump(const nlohmann::json& json) {
    // Answers and prompts may carry bytes that are not UTF-8; never fail a reply on them.
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json headers_json(const httplib::Headers& headers) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, value] : headers) {
        // cpp-httplib adds the socket addresses as pseudo-headers; the client never sent them.
        if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
            name == "LOCAL_PORT") {
            continue;
        }
        if (out.contains(name)) {
            out[name] = out[name].get<std::string>() + ", " + value;
        } else {
            out[name] = value;
        }
    }
    return out;
}

}  // namespace

EmulatorServer::EmulatorServer(Options options)
    : options_(std::move(options)),
      faults_(options_.faults, options_.seed),
      limiter_(options_.rpm) {
    if (options_.script) script_ = std::make_unique<Script>(Script::read_file(*options_.script));
    if (options_.recorded) {
        recorded_ =
            std::make_unique<RecordedAnswers>(*options_.recorded, options_.recorded_model,
                                              options_.recorded_mode, options_.dataset_dir());
    }
    if (options_.log) log_ = std::make_unique<RequestLog>(*options_.log);
    responder_ = std::make_unique<Responder>(script_.get(), recorded_.get(),
                                             options_.default_answer, faults_);

    int threads = options_.threads;
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_keep_alive_max_count(1000);
    // Headers and body go out in separate writes; Nagle would hold the body for the
    // client's delayed ACK (~40 ms per request on a kept-alive connection).
    server_.set_tcp_nodelay(true);
    server_.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                     std::exception_ptr error) {
        std::string what = "internal error";
        try {
            if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(dump({{"error", {{"message", what}, {"type", "server_error"}}}}), kJson);
    });
    auto route = [this](const WireFormat& wire) {
        return [this, &wire](const httplib::Request& http, httplib::Response& res) {
            handle_chat(wire, http, res);
        };
    };
    server_.Post("/v1/chat/completions", route(openai_));
    server_.Post("/chat/completions", route(openai_));
    server_.Post("/v1/messages", route(anthropic_));
    server_.Post("/api/chat", route(ollama_));
    server_.Get("/stats", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(dump(stats_.to_json()), kJson);
    });
    server_.Post("/reset", [this](const httplib::Request&, httplib::Response& res) {
        reset();
        res.set_content(dump({{"reset", true}}), kJson);
    });
}

int EmulatorServer::bind() {
    int port = options_.port == 0 ? server_.bind_to_any_port(options_.host)
               : server_.bind_to_port(options_.host, options_.port) ? options_.port
                                                                    : -1;
    if (port <= 0) {
        throw std::runtime_error("cannot bind " + options_.host + ":" +
                                 std::to_string(options_.port));
    }
    widen_listen_backlog(port);  // best effort: a small backlog only costs latency
    return port;
}

void EmulatorServer::run() {
    server_.listen_after_bind();
}

void EmulatorServer::stop() {
    sleeper_.wake_all();
    server_.stop();
}

void EmulatorServer::reset() {
    stats_.reset();
    if (script_) script_->rewind();
    if (recorded_) recorded_->rewind();
    billing_.clear();
    limiter_.clear();
}

void EmulatorServer::handle_chat(const WireFormat& wire, const httplib::Request& http,
                                 httplib::Response& res) {
    auto started = std::chrono::steady_clock::now();
    stats_.count_request(wire.endpoint());
    nlohmann::json fault_name_json = nullptr;
    std::optional<ChatRequest> request;
    // Every exit path logs what the client got.
    struct LogOnExit {
        EmulatorServer& self;
        const WireFormat& wire;
        const httplib::Request& http;
        const httplib::Response& res;
        const std::optional<ChatRequest>& request;
        const nlohmann::json& fault;
        bool dropped = false;
        ~LogOnExit() {
            if (!self.log_) return;
            self.log_->write({
                {"time", utc_now_iso8601()},
                {"endpoint", endpoint_name(wire.endpoint())},
                {"model", request ? nlohmann::json(request->model) : nlohmann::json()},
                {"n", request ? nlohmann::json(request->n) : nlohmann::json()},
                {"prompt", request ? nlohmann::json(request->prompt) : nlohmann::json()},
                {"status", dropped ? 0 : res.status},
                {"fault", fault},
                {"headers", headers_json(http.headers)},
            });
        }
    } log_on_exit{*this, wire, http, res, request, fault_name_json};

    auto parsed = wire.parse(http);
    if (!parsed) {
        res.status = parsed.error().status;
        res.set_content(dump(wire.error(parsed.error().kind, parsed.error().message)), kJson);
        return;
    }
    request = std::move(*parsed);

    if (auto wait = limiter_.admit()) {
        stats_.count_rejected_rpm();
        fault_name_json = "rpm";
        res.status = 429;
        res.set_header("Retry-After", std::to_string(*wait));
        res.set_content(
            dump(wire.error(ErrorKind::rate_limit, "rate limit of " + std::to_string(options_.rpm) +
                                                       " requests per minute exceeded")),
            kJson);
        return;
    }

    if (options_.latency_ms > 0 || options_.latency_jitter_ms > 0) {
        double delay = faults_.uniform(options_.latency_ms - options_.latency_jitter_ms,
                                       options_.latency_ms + options_.latency_jitter_ms);
        sleeper_.sleep_for(std::chrono::milliseconds(static_cast<long>(std::max(0.0, delay))));
    }

    Decision decision = responder_->decide(*request);
    for (FaultKind kind : decision.fired_faults) stats_.count_fault(kind);
    if (decision.fault) {
        fault_name_json = fault_name(decision.fault->kind);
    } else if (!decision.fired_faults.empty()) {
        fault_name_json = fault_name(decision.fired_faults.front());
    }
    if (decision.delay_ms > 0) sleeper_.sleep_for(std::chrono::milliseconds(decision.delay_ms));
    if (decision.fault) {
        log_on_exit.dropped = decision.fault->kind == FaultKind::drop;
        apply_fault(wire, *decision.fault, *request, http, res);
        return;
    }

    Completion completion;
    const char* prefix = wire.endpoint() == Endpoint::anthropic ? "msg_emu" : "chatcmpl-emu";
    completion.id = prefix + std::to_string(next_id_.fetch_add(1, std::memory_order_relaxed));
    completion.samples = std::move(decision.samples);
    switch (wire.endpoint()) {
        case Endpoint::openai:
            completion.usage = billing_.openai(request->model, request->prompt);
            break;
        case Endpoint::anthropic:
            completion.usage =
                billing_.anthropic(request->model, request->prompt, request->cache_prefix_bytes);
            break;
        case Endpoint::ollama:
            completion.usage = billing_.plain(request->prompt);
            break;
    }
    for (const Sample& sample : completion.samples) {
        completion.usage.completion_tokens += tokens(sample.text.size());
    }
    completion.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count();
    res.status = 200;
    res.set_content(dump(wire.reply(*request, completion)), kJson);
    stats_.count_reply(static_cast<int>(completion.samples.size()), completion.usage);
}

void EmulatorServer::apply_fault(const WireFormat& wire, const Fault& fault,
                                 const ChatRequest& request, const httplib::Request& http,
                                 httplib::Response& res) {
    auto fail = [&](int status, ErrorKind kind, const std::string& message) {
        res.status = status;
        res.set_content(dump(wire.error(kind, message)), kJson);
    };
    switch (fault.kind) {
        case FaultKind::rate_limit:
            fail(429, ErrorKind::rate_limit, "rate limit reached, retry later");
            res.set_header("Retry-After", fault.retry_after);
            return;
        case FaultKind::http_500:
            return fail(500, ErrorKind::server, "internal server error");
        case FaultKind::http_503:
            return fail(503, ErrorKind::overloaded, "service unavailable");
        case FaultKind::auth:
            return fail(401, ErrorKind::authentication, "invalid api key");
        case FaultKind::bad_request:
            return fail(400, ErrorKind::invalid_request, "bad request");
        case FaultKind::drop:
            if (!drop_connection(http.local_port, http.remote_port)) {
                fail(500, ErrorKind::server, "connection could not be dropped");
            }
            return;
        case FaultKind::truncated: {
            Completion completion;
            completion.id = "truncated";
            for (int i = 0; i < request.n; ++i)
                completion.samples.push_back(shape_sample(builtin_default_answer(), request));
            completion.usage = billing_.plain(request.prompt);
            std::string body = dump(wire.reply(request, completion));
            res.status = 200;
            res.set_content(body.substr(0, body.size() / 2), kJson);
            return;
        }
        case FaultKind::malformed_json:
            res.status = 200;
            res.set_content(
                "<html><body><h1>502 Bad Gateway</h1>upstream sent garbage</body></html>", kJson);
            return;
        case FaultKind::slow:
        case FaultKind::schema_break:
        case FaultKind::hallucinate:
            // Not request failures: the responder turns them into delays or answers.
            return fail(500, ErrorKind::server, "unexpected fault");
    }
}

}  // namespace ciri::emulator
