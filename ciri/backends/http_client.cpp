#include "ciri/backends/http_client.hpp"

#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <random>
#include <thread>
#include <vector>

namespace ciri {

namespace {

using Clock = HttpClient::Clock;
using std::chrono::milliseconds;

constexpr size_t kMaxBody = size_t(64) << 20;  // a reply larger than this is not an LLM answer

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

long ms_until(Clock::time_point t, Clock::time_point now) {
    if (t <= now) return 0;
    return static_cast<long>(std::chrono::ceil<milliseconds>(t - now).count());
}

bool retryable(ErrorKind k) {
    return k == ErrorKind::timeout || k == ErrorKind::rate_limited || k == ErrorKind::http_5xx ||
           k == ErrorKind::network || k == ErrorKind::bad_response;
}

}  // namespace

struct HttpClient::Impl {
    struct Job {
        int lane = 0;
        HttpRequest req;
        Clock::time_point submitted, deadline, not_before;
        Clock::time_point first_sent{};  // when the first attempt went out
        Clock::duration timeout{};       // from first_sent; zero = only the deadline
        long tokens = 0;
        Validator validate;
        Callback done;
        int attempts = 0;
        CURL* easy = nullptr;
        curl_slist* headers = nullptr;
        std::string response;
        HttpResult last;  // outcome of the latest attempt

        // When the request gives up: its timeout counts from when it was first sent, so a
        // request still queued is bound only by the run's deadline.
        Clock::time_point ends() const {
            if (attempts == 0 || timeout <= Clock::duration::zero()) return deadline;
            return std::min(deadline, first_sent + timeout);
        }
        // True when the run's deadline, not the request's own timeout, is what ends it.
        bool deadline_binds() const { return ends() == deadline; }
    };
    using JobPtr = std::unique_ptr<Job>;

    struct Lane {
        std::string name;
        LaneLimits limits;
        std::deque<JobPtr> queue;
        int in_flight = 0;
        std::deque<Clock::time_point> starts;                  // for requests_per_minute
        std::deque<std::pair<Clock::time_point, long>> spent;  // for tokens_per_minute
        long spent_sum = 0;
        Clock::time_point paused_until{};  // a 429's Retry-After holds the whole lane
        int consecutive_failures = 0;
        LaneStats stats;
    };

    std::string user_agent;
    CURLM* multi = nullptr;
    mutable std::mutex mu;
    std::vector<std::unique_ptr<Lane>> lanes;  // guarded by mu
    std::vector<JobPtr> delayed;               // retries waiting for their backoff; guarded by mu
    bool stopping = false;                     // guarded by mu
    std::vector<JobPtr> running;               // loop thread only
    std::vector<CURL*> spare;                  // loop thread only: reused easy handles
    std::mt19937_64 rng{std::random_device{}()};
    Clock::time_point next_expiry_scan{};
    // The loop waits on curl's sockets with epoll and drives curl per socket that is ready
    // (curl_multi_socket_action): with hundreds of connections open, polling every socket and
    // walking every transfer on each wake-up was a tenth of ciri's CPU per request.
    int epoll_fd = -1;
    int wake_fd = -1;                                // an eventfd: submissions and shutdown wake the loop
    std::optional<Clock::time_point> curl_due;       // when curl wants its timeout action; loop thread only
    std::thread loop_thread;

    explicit Impl(std::string ua) : user_agent(std::move(ua)) {
        init_curl_once();
        epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (epoll_fd < 0 || wake_fd < 0) throw std::runtime_error("http client: cannot make an epoll set");
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = wake_fd;
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev);
        multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 256L);
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
        loop_thread = std::thread([this] { loop(); });
    }

    ~Impl() {
        {
            std::lock_guard lock(mu);
            stopping = true;
        }
        wake();
        loop_thread.join();
        for (CURL* e : spare) curl_easy_cleanup(e);
        curl_multi_cleanup(multi);
        close(wake_fd);
        close(epoll_fd);
    }

    // Makes the loop look at its queues now.
    void wake() {
        uint64_t one = 1;
        [[maybe_unused]] auto n = write(wake_fd, &one, sizeof one);  // a full counter is awake already
    }

    // curl says which events of socket `s` it waits for: the epoll set follows.
    static int on_socket(CURL*, curl_socket_t s, int what, void* user, void*) {
        auto* self = static_cast<Impl*>(user);
        if (what == CURL_POLL_REMOVE) {
            epoll_ctl(self->epoll_fd, EPOLL_CTL_DEL, s, nullptr);
            return 0;
        }
        epoll_event ev{};
        ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
        ev.data.fd = s;
        if (epoll_ctl(self->epoll_fd, EPOLL_CTL_MOD, s, &ev) != 0) epoll_ctl(self->epoll_fd, EPOLL_CTL_ADD, s, &ev);
        return 0;
    }

    // curl says when it next wants its timeout action (-1: no timer).
    static int on_timer(CURLM*, long timeout_ms, void* user) {
        auto* self = static_cast<Impl*>(user);
        if (timeout_ms < 0) self->curl_due.reset();
        else self->curl_due = Clock::now() + milliseconds(timeout_ms);
        return 0;
    }

    static size_t on_write(char* data, size_t size, size_t n, void* user) {
        auto* job = static_cast<Job*>(user);
        if (job->response.size() + size * n > kMaxBody) return 0;
        job->response.append(data, size * n);
        return size * n;
    }

    static void finish(std::vector<std::pair<Callback, HttpResult>>& out, Job& job,
                       Clock::time_point now) {
        job.last.attempts = job.attempts;
        job.last.latency_ms =
            std::chrono::duration<double, std::milli>(now - job.submitted).count();
        out.emplace_back(std::move(job.done), std::move(job.last));
    }

    // Records the final outcome of a request on its lane: failures in a row take it down.
    void account(Lane& lane, const HttpResult& r) {
        if (r.error == ErrorKind::none) {
            lane.consecutive_failures = 0;
            return;
        }
        lane.stats.failures++;
        // The run ran out of time; the backend did nothing wrong.
        if (lane.stats.down || r.cut_by_deadline) return;
        lane.consecutive_failures++;
        // A rejected key will not start working later in the run.
        if (r.error == ErrorKind::auth || lane.consecutive_failures >= lane.limits.down_after) {
            lane.stats.down = true;
            lane.stats.down_error = r.error;
            lane.stats.down_reason =
                r.error == ErrorKind::auth
                    ? r.error_message
                    : std::to_string(lane.consecutive_failures) +
                          " requests failed in a row, last: " + r.error_message;
        }
    }

    static HttpResult down_result(const Lane& lane) {
        HttpResult r;
        r.error = lane.stats.down_error;
        r.error_message = "backend down: " + lane.stats.down_reason;
        return r;
    }

    bool rate_ok(Lane& lane, const Job& job, Clock::time_point now, Clock::time_point& wake) {
        auto window = now - std::chrono::minutes(1);
        while (!lane.starts.empty() && lane.starts.front() <= window) lane.starts.pop_front();
        while (!lane.spent.empty() && lane.spent.front().first <= window) {
            lane.spent_sum -= lane.spent.front().second;
            lane.spent.pop_front();
        }
        const auto& lim = lane.limits;
        if (lim.requests_per_minute > 0 &&
            static_cast<int>(lane.starts.size()) >= lim.requests_per_minute) {
            wake = std::min(wake, lane.starts.front() + std::chrono::minutes(1));
            return false;
        }
        // A request bigger than the whole budget still goes, alone in its minute.
        if (lim.tokens_per_minute > 0 && lane.spent_sum > 0 &&
            lane.spent_sum + job.tokens > lim.tokens_per_minute) {
            wake = std::min(wake, lane.spent.front().first + std::chrono::minutes(1));
            return false;
        }
        return true;
    }

    void start(Lane& lane, JobPtr job, Clock::time_point now) {
        lane.in_flight++;
        lane.stats.attempts++;
        lane.starts.push_back(now);
        if (job->tokens > 0) {
            lane.spent.emplace_back(now, job->tokens);
            lane.spent_sum += job->tokens;
        }
        if (job->attempts == 0) job->first_sent = now;
        job->attempts++;
        job->response.clear();
        CURL* e;
        if (spare.empty()) {
            e = curl_easy_init();
        } else {
            e = spare.back();
            spare.pop_back();
            curl_easy_reset(e);
        }
        job->easy = e;
        // "Expect:" turns off 100-continue, which would cost a round trip on every large prompt.
        job->headers = curl_slist_append(nullptr, "Expect:");
        for (const auto& h : job->req.headers)
            job->headers = curl_slist_append(job->headers, h.c_str());
        long left = std::max(1L, ms_until(job->ends(), now));
        curl_easy_setopt(e, CURLOPT_URL, job->req.url.c_str());
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent.c_str());
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
        // Waiting to learn whether a connection multiplexes pays over TLS, where the handshake
        // says it; cleartext is HTTP/1.1 here, and waiting held every request behind the first reply.
        if (job->req.url.starts_with("https:")) curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, std::min(left, 10000L));
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, job->headers);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_write);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, job.get());
        curl_easy_setopt(e, CURLOPT_PRIVATE, job.get());
        if (job->req.method == "GET") {
            curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        } else {
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, job->req.body.data());
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(job->req.body.size()));
            if (job->req.method != "POST")
                curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, job->req.method.c_str());
        }
        curl_multi_add_handle(multi, e);
        running.push_back(std::move(job));
    }

    // Under mu: moves due retries back, fails what is down or expired, starts what fits.
    // Returns how long the loop may sleep.
    long schedule(std::vector<std::pair<Callback, HttpResult>>& finished) {
        auto now = Clock::now();
        auto wake = now + std::chrono::seconds(1);
        for (size_t i = 0; i < delayed.size();) {
            if (delayed[i]->not_before <= now) {
                lanes[delayed[i]->lane]->queue.push_front(std::move(delayed[i]));
                delayed[i] = std::move(delayed.back());
                delayed.pop_back();
            } else {
                wake = std::min(wake, delayed[i]->not_before);
                ++i;
            }
        }
        bool scan = now >= next_expiry_scan;
        if (scan) next_expiry_scan = now + milliseconds(50);
        for (auto& lane_ptr : lanes) {
            Lane& lane = *lane_ptr;
            if (lane.stats.down) {
                for (auto& job : lane.queue) {
                    job->last = down_result(lane);
                    lane.stats.failures++;
                    finish(finished, *job, now);
                }
                lane.queue.clear();
                continue;
            }
            // A request whose time is up ends here; one never sent was only queued, which says
            // nothing of the backend.
            auto expired = [&](JobPtr& job) {
                if (job->ends() > now) return false;
                if (job->attempts == 0) {
                    job->last.error = ErrorKind::timeout;
                    job->last.error_message = "deadline passed while queued";
                    job->last.cut_by_deadline = true;
                }
                account(lane, job->last);
                finish(finished, *job, now);
                return true;
            };
            if (scan && !lane.queue.empty()) std::erase_if(lane.queue, expired);
            while (!lane.queue.empty() && lane.in_flight < lane.limits.max_in_flight) {
                if (expired(lane.queue.front())) {
                    lane.queue.pop_front();
                    continue;
                }
                if (lane.paused_until > now) {
                    wake = std::min(wake, lane.paused_until);
                    break;
                }
                if (!rate_ok(lane, *lane.queue.front(), now, wake)) break;
                JobPtr job = std::move(lane.queue.front());
                lane.queue.pop_front();
                start(lane, std::move(job), now);
            }
            if (!lane.queue.empty()) wake = std::min(wake, next_expiry_scan);
        }
        return ms_until(wake, now);
    }

    // Classifies a finished attempt into job->last.
    void classify(Job& job, CURLcode rc, Clock::time_point now, long& retry_after_s) {
        HttpResult& r = job.last;
        r = HttpResult{};
        curl_easy_getinfo(job.easy, CURLINFO_RESPONSE_CODE, &r.status);
        retry_after_s = 0;
        if (rc != CURLE_OK) {
            r.status = 0;
            if (rc == CURLE_OPERATION_TIMEDOUT && now >= job.ends() - milliseconds(5)) {
                r.error = ErrorKind::timeout;
                if (job.deadline_binds()) {
                    r.error_message = "deadline passed while waiting for the answer";
                    r.cut_by_deadline = true;
                } else {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "no answer within %.3g s of sending",
                                  std::chrono::duration<double>(job.timeout).count());
                    r.error_message = buf;
                }
            } else {
                r.error = ErrorKind::network;
                r.error_message = std::string("network error: ") + curl_easy_strerror(rc);
            }
            return;
        }
        r.body = std::move(job.response);
        if (r.status >= 200 && r.status < 300) {
            if (job.validate) {
                if (std::string why = job.validate(r); !why.empty()) {
                    r.error = ErrorKind::bad_response;
                    r.error_message = "bad response: " + why;
                }
            }
            return;
        }
        r.error_message = "http " + std::to_string(r.status);
        if (r.status == 408)
            r.error = ErrorKind::timeout;
        else if (r.status == 429)
            r.error = ErrorKind::rate_limited;
        else if (r.status >= 500)
            r.error = ErrorKind::http_5xx;
        else if (r.status == 401 || r.status == 403)
            r.error = ErrorKind::auth;
        else
            r.error = ErrorKind::bad_request;
        if (r.status == 429 || r.status == 503) {
            curl_off_t ra = 0;
            // libcurl parses both forms of Retry-After: seconds and an HTTP date.
            if (curl_easy_getinfo(job.easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
                retry_after_s = static_cast<long>(ra);
        }
    }

    // Loop thread: an attempt ended; retry it later or finish the request.
    void complete(CURL* easy, CURLcode rc, std::vector<std::pair<Callback, HttpResult>>& finished) {
        auto it = std::ranges::find_if(running, [&](const JobPtr& j) { return j->easy == easy; });
        JobPtr job = std::move(*it);
        *it = std::move(running.back());
        running.pop_back();
        auto now = Clock::now();
        long retry_after_s = 0;
        classify(*job, rc, now, retry_after_s);
        curl_multi_remove_handle(multi, easy);
        curl_slist_free_all(job->headers);
        job->headers = nullptr;
        job->easy = nullptr;
        spare.push_back(easy);

        std::lock_guard lock(mu);
        Lane& lane = *lanes[job->lane];
        lane.in_flight--;
        const auto& policy = lane.limits.retry;
        ErrorKind err = job->last.error;
        if (retryable(err) && job->attempts < policy.max_attempts && !stopping &&
            !lane.stats.down) {
            milliseconds delay;
            if (retry_after_s > 0) {
                // The server said when; a little jitter keeps waiting clients from returning
                // together.
                delay = std::chrono::seconds(retry_after_s) +
                        milliseconds(std::uniform_int_distribution<int>(0, 100)(rng));
                if (err == ErrorKind::rate_limited)
                    lane.paused_until = std::max(lane.paused_until, now + delay);
            } else {
                auto cap = std::min<long long>(policy.max_delay.count(),
                                               policy.base_delay.count()
                                                   << std::min(job->attempts - 1, 20));
                delay = milliseconds(
                    std::uniform_int_distribution<long long>(cap / 2, std::max(cap, 1LL))(rng));
            }
            if (now + delay < job->ends()) {
                lane.stats.retries++;
                job->not_before = now + delay;
                delayed.push_back(std::move(job));
                return;
            }
            if (retry_after_s > 0)
                job->last.error_message +=
                    " (retry-after " + std::to_string(retry_after_s) + " s is past the deadline)";
        }
        account(lane, job->last);
        finish(finished, *job, now);
    }

    static void deliver(std::vector<std::pair<Callback, HttpResult>>& finished) {
        for (auto& [cb, r] : finished) {
            try {
                cb(std::move(r));
            } catch (...) {
                // A callback's failure must not stop the loop that serves everyone else.
            }
        }
        finished.clear();
    }

    // Hands the transfers curl has finished to complete(); true when there were any.
    bool read_done(std::vector<std::pair<Callback, HttpResult>>& finished) {
        int left = 0;
        bool any = false;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            complete(msg->easy_handle, msg->data.result, finished);
            any = true;
        }
        deliver(finished);
        return any;
    }

    void loop() {
        std::vector<std::pair<Callback, HttpResult>> finished;
        while (true) {
            long wait_ms;
            {
                std::lock_guard lock(mu);
                if (stopping) break;
                wait_ms = schedule(finished);
            }
            deliver(finished);
            int still = 0;
            // Transfers just added, and curl's own timers (connect, retries of its own).
            if (curl_due && *curl_due <= Clock::now()) {
                curl_due.reset();
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &still);
            }
            if (read_done(finished)) continue;  // freed slots may start queued requests right away
            if (curl_due) wait_ms = std::min(wait_ms, ms_until(*curl_due, Clock::now()));
            epoll_event events[64];
            int n = epoll_wait(epoll_fd, events, 64, static_cast<int>(std::clamp(wait_ms, 0L, 1000L)));
            for (int i = 0; i < n; ++i) {
                if (events[i].data.fd == wake_fd) {
                    uint64_t count;
                    [[maybe_unused]] auto r = read(wake_fd, &count, sizeof count);
                    continue;
                }
                uint32_t e = events[i].events;
                int mask = ((e & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((e & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
                           ((e & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
                curl_multi_socket_action(multi, events[i].data.fd, mask, &still);
            }
            read_done(finished);
        }
        // Shutting down: nothing more is sent; every pending request still gets its answer.
        auto now = Clock::now();
        for (auto& job : running) {
            curl_multi_remove_handle(multi, job->easy);
            curl_easy_cleanup(job->easy);
            curl_slist_free_all(job->headers);
        }
        std::lock_guard lock(mu);
        std::vector<JobPtr> all = std::move(running);
        for (auto& j : delayed) all.push_back(std::move(j));
        for (auto& lane : lanes)
            for (auto& j : lane->queue) all.push_back(std::move(j));
        for (auto& job : all) {
            job->last = HttpResult{};
            job->last.error = ErrorKind::network;
            job->last.error_message = "client shut down";
            finish(finished, *job, now);
        }
        deliver(finished);
    }
};

HttpClient::HttpClient(std::string user_agent)
    : impl_(std::make_unique<Impl>(std::move(user_agent))) {}

HttpClient::~HttpClient() = default;

int HttpClient::add_lane(std::string name, LaneLimits limits) {
    limits.max_in_flight = std::max(1, limits.max_in_flight);
    limits.down_after = std::max(1, limits.down_after);
    limits.retry.max_attempts = std::max(1, limits.retry.max_attempts);
    std::lock_guard lock(impl_->mu);
    auto lane = std::make_unique<Impl::Lane>();
    lane->name = std::move(name);
    lane->limits = limits;
    impl_->lanes.push_back(std::move(lane));
    return static_cast<int>(impl_->lanes.size() - 1);
}

void HttpClient::submit(int lane, HttpRequest req, Clock::time_point deadline, long tokens,
                        Validator validate, Callback done, Clock::duration timeout) {
    auto job = std::make_unique<Impl::Job>();
    job->lane = lane;
    job->req = std::move(req);
    job->submitted = Clock::now();
    job->deadline = deadline;
    job->timeout = timeout;
    job->tokens = tokens;
    job->validate = std::move(validate);
    job->done = std::move(done);
    {
        std::lock_guard lock(impl_->mu);
        auto& l = *impl_->lanes.at(static_cast<size_t>(lane));
        l.stats.requests++;
        if (!impl_->stopping) {
            l.queue.push_back(std::move(job));
        }
    }
    if (job) {  // only when stopping
        job->last.error = ErrorKind::network;
        job->last.error_message = "client shut down";
        job->done(std::move(job->last));
        return;
    }
    impl_->wake();
}

std::future<HttpResult> HttpClient::submit(int lane, HttpRequest req, Clock::time_point deadline,
                                           long tokens, Clock::duration timeout) {
    auto promise = std::make_shared<std::promise<HttpResult>>();
    auto fut = promise->get_future();
    submit(lane, std::move(req), deadline, tokens, nullptr,
           [promise](HttpResult r) { promise->set_value(std::move(r)); }, timeout);
    return fut;
}

LaneStats HttpClient::stats(int lane) const {
    std::lock_guard lock(impl_->mu);
    return impl_->lanes.at(static_cast<size_t>(lane))->stats;
}

}  // namespace ciri
