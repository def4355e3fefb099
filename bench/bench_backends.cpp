// Backend transport throughput and client CPU cost, against the loopback emulator:
//   bench_backends --base-url http://127.0.0.1:PORT [--requests 2000] [--in-flight 16]
//                  [--latency-ms 100] [--provider openai] [--prompt-bytes 4000]
// The emulator must run with the same --latency-ms. Ideal throughput is in_flight / latency.
// CPU is getrusage(RUSAGE_SELF) user+system time of this process (all its threads: the
// submitting thread and the transport's event loop) over the run, divided by the requests;
// the emulator is another process and is not counted.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ciri/backends/llm_client.hpp"

using namespace ciri;

namespace {

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    std::string base_url, provider = "openai";
    int requests = 2000, in_flight = 16, prompt_bytes = 4000;
    double latency_ms = 100;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--base-url")
            base_url = value;
        else if (flag == "--requests")
            requests = std::atoi(value.c_str());
        else if (flag == "--in-flight")
            in_flight = std::atoi(value.c_str());
        else if (flag == "--latency-ms")
            latency_ms = std::atof(value.c_str());
        else if (flag == "--provider")
            provider = value;
        else if (flag == "--prompt-bytes")
            prompt_bytes = std::atoi(value.c_str());
        else {
            std::fprintf(stderr, "bench_backends: unknown flag %s\n", flag.c_str());
            return 2;
        }
    }
    if (base_url.empty() || requests < 1 || in_flight < 1 || latency_ms <= 0) {
        std::fprintf(stderr,
                     "usage: bench_backends --base-url URL [--requests N] [--in-flight N] "
                     "[--latency-ms MS]\n");
        return 2;
    }
    ModelSpec spec{provider, "bench-model", provider == "openai" ? base_url + "/v1" : base_url};

    LlmClientOptions options;
    options.cache_mode = CacheMode::no_cache;
    options.limits.max_in_flight = in_flight;
    options.default_timeout = std::chrono::seconds(60);
    LlmClient client(options);

    // A prompt the size of a typical config file plus instructions; each request differs.
    std::string prefix(static_cast<size_t>(prompt_bytes), 'x');
    std::vector<std::future<LlmResponse>> futures;
    futures.reserve(static_cast<size_t>(requests));
    double cpu0 = cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < requests; ++i) {
        LlmRequest req;
        req.prompt.system = "You are a configuration validator.";
        req.prompt.prefix = prefix;
        req.prompt.body = "file " + std::to_string(i);
        req.max_tokens = 200;
        futures.push_back(client.submit(spec, std::move(req)));
    }
    int ok = 0;
    double latency_sum = 0;
    for (auto& f : futures) {
        LlmResponse r = f.get();
        ok += r.ok();
        latency_sum += r.latency_ms;
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = cpu_seconds() - cpu0;

    double achieved = requests / wall;
    double ideal = in_flight / (latency_ms / 1000.0);
    std::printf("requests:      %d (%d ok), %d in flight, %.0f ms emulated latency, provider %s\n",
                requests, ok, in_flight, latency_ms, provider.c_str());
    std::printf("wall time:     %.3f s\n", wall);
    std::printf("throughput:    %.1f req/s achieved vs %.1f req/s ideal (%.1f%%)\n", achieved,
                ideal, 100.0 * achieved / ideal);
    std::printf(
        "client CPU:    %.3f s user+sys = %.3f ms per request (getrusage RUSAGE_SELF, all "
        "threads)\n",
        cpu, 1000.0 * cpu / requests);
    std::printf("mean latency:  %.1f ms per request, queueing included\n", latency_sum / requests);
    auto rows = client.report();
    if (!rows.empty())
        std::printf("http requests: %ld, retries %ld, failures %ld\n", rows[0].http_requests,
                    rows[0].retries, rows[0].failures);
    return ok == requests ? 0 : 1;
}
