// Helpers shared by the parser tests: fixtures, parsing that must succeed or fail, lookups.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/registry.hpp"
#include "tests/support/paths.hpp"

namespace ciri::test {

/// A parser entry point as the registry calls it.
using ParseFn = Expected<std::vector<Parameter>> (*)(std::string_view, const ParseLimits&);

/// The whole file at `path`, bytes unchanged; REQUIREs that it opens.
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// tests/fixtures/<rel>, read whole.
inline std::string read_fixture(const std::string& rel) {
    return read_file(fixture(rel));
}

/// `parse(text, limits)`'s parameters; REQUIREs success and shows the error otherwise.
inline std::vector<Parameter> parse_ok(ParseFn parse, std::string_view text,
                                       ParseLimits limits = {}) {
    auto r = parse(text, limits);
    INFO((r ? "" : r.error().format()));
    REQUIRE(r.has_value());
    return *r;
}

/// `parse(text, limits)`'s Error; REQUIREs that it fails.
inline Error parse_err(ParseFn parse, std::string_view text, ParseLimits limits = {}) {
    auto r = parse(text, limits);
    REQUIRE_FALSE(r.has_value());
    return r.error();
}

/// The first parameter named `key`; FAILs the test when there is none.
inline const Parameter& find(const std::vector<Parameter>& ps, const std::string& key) {
    for (const auto& p : ps)
        if (p.key == key) return p;
    FAIL("no parameter " << key);
    throw;  // unreachable
}

/// Every parameter named `key`, in order.
inline std::vector<const Parameter*> find_all(const std::vector<Parameter>& ps,
                                              const std::string& key) {
    std::vector<const Parameter*> out;
    for (const auto& p : ps)
        if (p.key == key) out.push_back(&p);
    return out;
}

/// Garbage must give parameters or an Error whose line lies inside the text, never a crash.
inline void check_garbage(ParseFn parse, std::string_view text) {
    auto r = parse(text, {});
    if (r) return;
    int lines = 1;
    for (char c : text) lines += c == '\n';
    CHECK_FALSE(r.error().message.empty());
    CHECK(r.error().line >= 0);
    CHECK(r.error().line <= lines);
}

/// `n` characters drawn from `alphabet` by a generator seeded with `seed` (reproducible).
inline std::string random_bytes(unsigned seed, size_t n, std::string_view alphabet) {
    std::mt19937 rng(seed);
    std::string s;
    for (size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
}

}  // namespace ciri::test
