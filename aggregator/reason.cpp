#include "aggregator/reason.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace ciri {
namespace {

using Vector = std::map<std::string, double>;

// Words keep inner dots, dashes and underscores so parameter names stay one token; edge
// punctuation is trimmed so "size." at a sentence end equals "size".
std::vector<std::string> tokens(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        size_t b = cur.find_first_not_of("._-");
        size_t e = cur.find_last_not_of("._-");
        if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
        cur.clear();
    };
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')
            cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else
            flush();
    }
    flush();
    return out;
}

// L2-normalized TF-IDF vectors, so a dot product is the cosine.
std::vector<Vector> tfidf(const std::vector<std::string>& corpus) {
    std::vector<std::vector<std::string>> docs;
    std::map<std::string, int> df;
    for (const auto& text : corpus) {
        docs.push_back(tokens(text));
        for (const auto& t : std::set<std::string>(docs.back().begin(), docs.back().end())) ++df[t];
    }
    double n = static_cast<double>(corpus.size());
    std::vector<Vector> out;
    for (const auto& doc : docs) {
        Vector v;
        for (const auto& t : doc) v[t] += 1.0;
        double norm = 0;
        for (auto& [t, w] : v) {
            w *= std::log((1.0 + n) / (1.0 + df[t])) + 1.0;
            norm += w * w;
        }
        norm = std::sqrt(norm);
        if (norm > 0)
            for (auto& [t, w] : v) w /= norm;
        out.push_back(std::move(v));
    }
    return out;
}

double dot(const Vector& a, const Vector& b) {
    const Vector& small = a.size() < b.size() ? a : b;
    const Vector& large = a.size() < b.size() ? b : a;
    double s = 0;
    for (const auto& [t, w] : small)
        if (auto it = large.find(t); it != large.end()) s += w * it->second;
    return s;
}

}  // namespace

double reason_similarity(const std::vector<std::string>& corpus, size_t a, size_t b) {
    auto v = tfidf(corpus);
    return dot(v.at(a), v.at(b));
}

ReasonPick pick_reason(const std::vector<ReasonSample>& samples, double threshold) {
    ReasonPick pick;
    pick.votes = static_cast<int>(samples.size());
    for (const auto& s : samples)
        if (std::find(pick.backends.begin(), pick.backends.end(), s.backend) == pick.backends.end())
            pick.backends.push_back(s.backend);

    std::vector<size_t> idx;  // samples with a reason
    std::vector<std::string> corpus;
    for (size_t i = 0; i < samples.size(); ++i) {
        if (samples[i].text.find_first_not_of(" \t\n") == std::string::npos) continue;
        idx.push_back(i);
        corpus.push_back(samples[i].text);
    }
    if (corpus.empty()) return pick;
    auto vecs = tfidf(corpus);

    // Single-link clustering with union-find.
    std::vector<size_t> parent(corpus.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto root = [&](size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    for (size_t i = 0; i < corpus.size(); ++i)
        for (size_t j = i + 1; j < corpus.size(); ++j)
            if (dot(vecs[i], vecs[j]) >= threshold - 1e-12) parent[root(j)] = root(i);

    std::map<size_t, std::vector<size_t>> clusters;  // root -> members in sample order
    std::vector<size_t> order;                       // roots in first-seen order
    for (size_t i = 0; i < corpus.size(); ++i) {
        size_t r = root(i);
        if (!clusters.contains(r)) order.push_back(r);
        clusters[r].push_back(i);
    }
    size_t best = order.front();
    for (size_t r : order)
        if (clusters[r].size() > clusters[best].size()) best = r;
    const auto& members = clusters[best];

    Vector centroid;
    for (size_t m : members)
        for (const auto& [t, w] : vecs[m]) centroid[t] += w / static_cast<double>(members.size());
    size_t chosen = members.front();
    double best_sim = -1;
    for (size_t m : members) {
        double s = dot(vecs[m], centroid);
        if (s > best_sim + 1e-12) {
            best_sim = s;
            chosen = m;
        }
    }
    pick.reason = samples[idx[chosen]].text;
    pick.cluster_size = static_cast<int>(members.size());
    return pick;
}

}  // namespace ciri
