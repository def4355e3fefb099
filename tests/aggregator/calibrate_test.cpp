#include "aggregator/calibrate.hpp"

#include <catch2/catch.hpp>
#include <random>

using ciri::Opinion;
using ciri::Stance;
using ciri::VotedParam;

namespace {

// Parameters of two groups; a "good" voter catches 80% of the wrong ones with 2% false alarms,
// a "coin" voter says wrong half the time whatever the truth, "rules" abstain on most.
std::vector<VotedParam> synthetic(int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<VotedParam> out;
    for (int i = 0; i < n; ++i) {
        bool mis = u(rng) < 0.1;
        VotedParam p{i % 2 ? "a" : "b", mis, {}};
        auto say = [&](bool w) { return w ? Opinion{Stance::wrong, 1.0} : Opinion{Stance::ok, 0.0}; };
        p.opinions.emplace_back("good", say(mis ? u(rng) < 0.8 : u(rng) < 0.02));
        p.opinions.emplace_back("coin", say(u(rng) < 0.5));
        if (u(rng) < 0.3) p.opinions.emplace_back("rules", say(mis ? u(rng) < 0.5 : u(rng) < 0.001));
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace

TEST_CASE("calibrate_supervised: measures each voter's rates and the prior", "[calibrate]") {
    auto params = synthetic(20000, 1);
    auto w = ciri::calibrate_supervised(params);
    CHECK(w.prior == Approx(0.1).margin(0.01));
    CHECK(w.voters.at("good").sensitivity == Approx(0.8).margin(0.03));
    CHECK(w.voters.at("good").false_alarm == Approx(0.02).margin(0.005));
    CHECK(w.voters.at("coin").sensitivity == Approx(0.5).margin(0.04));
    CHECK(w.voters.at("coin").false_alarm == Approx(0.5).margin(0.02));
    // The rules were measured only where they did not abstain.
    CHECK(w.voters.at("rules").misconfigured + w.voters.at("rules").fine == Approx(20000 * 0.3).margin(300));
    REQUIRE(w.default_llm);  // pooled over the voters but the rules
    // A coin's opinions carry no evidence: ln(sens/fa) near 0.
    CHECK(std::abs(ciri::log_likelihood_ratio({Stance::wrong, 1.0}, w.voters.at("coin"))) < 0.1);
    // The chosen threshold is at least as good as 0 on the same data, and beats the coin alone.
    double f1 = ciri::macro_f1(params, w, w.threshold);
    CHECK(f1 >= ciri::macro_f1(params, w, 0.0) - 1e-12);
    CHECK(f1 > 0.75);
}

TEST_CASE("calibrate_supervised: categories with enough support get rates of their own", "[calibrate]") {
    std::vector<VotedParam> params;
    for (int i = 0; i < 400; ++i) {
        bool mis = i % 4 == 0;
        VotedParam p{"g", mis, {}};
        // Category X is always right, category Y wrong half the time; Z is too rare.
        if (mis && i % 8 == 0) p.opinions.emplace_back("rules", Opinion{Stance::wrong, 1.0, "X"});
        else if (i % 10 == 1) p.opinions.emplace_back("rules", Opinion{Stance::wrong, 1.0, "Y"});
        else p.opinions.emplace_back("rules", Opinion{Stance::ok, 0.0});
        params.push_back(std::move(p));
    }
    params.push_back({"g", false, {{"rules", Opinion{Stance::wrong, 1.0, "Z"}}}});
    auto w = ciri::calibrate_supervised(params);
    const auto& r = w.voters.at("rules");
    REQUIRE(r.categories.contains("X"));
    REQUIRE(r.categories.contains("Y"));
    CHECK_FALSE(r.categories.contains("Z"));
    CHECK(r.categories.at("X").first / r.categories.at("X").second > 50);
    CHECK(r.categories.at("Y").first / r.categories.at("Y").second < 1);
}

TEST_CASE("calibrate_unsupervised: Dawid-Skene finds the reliable voter without labels", "[calibrate]") {
    auto params = synthetic(20000, 2);
    auto labeled = ciri::calibrate_supervised(params);
    for (auto& p : params) p.misconfigured.reset();
    // Two more decent voters so agreement carries the signal.
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(0, 1);
    auto truth = synthetic(20000, 2);
    for (size_t i = 0; i < params.size(); ++i) {
        bool mis = *truth[i].misconfigured;
        for (const char* name : {"second", "third"})
            params[i].opinions.emplace_back(name, (mis ? u(rng) < 0.7 : u(rng) < 0.05) ? Opinion{Stance::wrong, 1.0}
                                                                                     : Opinion{Stance::ok, 0.0});
    }
    auto w = ciri::calibrate_unsupervised(params);
    CHECK(w.prior == Approx(labeled.prior).margin(0.02));
    CHECK(w.voters.at("good").sensitivity == Approx(0.8).margin(0.06));
    CHECK(w.voters.at("good").false_alarm == Approx(0.02).margin(0.01));
    CHECK(w.voters.at("coin").sensitivity == Approx(0.5).margin(0.05));
    CHECK(w.threshold == 0);
    // Scored against the hidden labels, the unsupervised vote does well.
    for (size_t i = 0; i < params.size(); ++i) params[i].misconfigured = truth[i].misconfigured;
    CHECK(ciri::macro_f1(params, w, 0) > 0.8);
}

TEST_CASE("calibrate_supervised: LLMs that err together count as less than independent voters", "[calibrate]") {
    // Four "LLMs" that share their false alarms (one plausible-looking fine value fools them all)
    // and the rules, certain but abstaining on most parameters. Naive Bayes with full weight
    // counts the shared mistake four times.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<VotedParam> params;
    for (int i = 0; i < 20000; ++i) {
        bool mis = u(rng) < 0.06;
        VotedParam p{i % 3 ? "a" : "b", mis, {}};
        bool fooled = !mis && u(rng) < 0.05;  // seen by every LLM at once
        for (const char* llm : {"m1", "m2", "m3", "m4"}) {
            bool wrong = mis ? u(rng) < 0.6 : (fooled ? u(rng) < 0.9 : u(rng) < 0.01);
            p.opinions.emplace_back(llm, wrong ? Opinion{Stance::wrong, 1.0} : Opinion{Stance::ok, 0.0});
        }
        if (u(rng) < 0.5) p.opinions.emplace_back("rules", mis && u(rng) < 0.8 ? Opinion{Stance::wrong, 1.0} : Opinion{Stance::ok, 0.0});
        params.push_back(std::move(p));
    }
    ciri::CalibrateOptions plain;
    plain.llm_scales.clear();
    auto independent = ciri::calibrate_supervised(params, plain);
    auto fitted = ciri::calibrate_supervised(params);
    // Some share below 1 was fitted for the LLMs, never for the rules, and it is no worse on
    // the data it was fitted on.
    CHECK(fitted.voters.at("m1").scale < 1.0);
    CHECK(fitted.voters.at("rules").scale == 1.0);
    CHECK(ciri::macro_f1(params, fitted, fitted.threshold) >=
          ciri::macro_f1(params, independent, independent.threshold) - 1e-12);
    CHECK(ciri::log_likelihood_ratio({Stance::wrong, 1.0}, fitted.voters.at("m1")) ==
          Approx(fitted.voters.at("m1").scale *
                 ciri::log_likelihood_ratio({Stance::wrong, 1.0}, independent.voters.at("m1"))).epsilon(0.01));
}
