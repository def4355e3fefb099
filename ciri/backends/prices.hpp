// What answers cost: a price table per model, so runs can report an estimated bill.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ciri/backends/backend.hpp"

namespace ciri {

/// USD per one million tokens.
struct Price {
    double input = 0;         ///< uncached prompt tokens
    double cached_input = 0;  ///< prompt tokens read from the provider's prefix cache
    double output = 0;        ///< completion tokens
    /// Prompt tokens written to the prefix cache (Anthropic: 1.25 times input for its
    /// five-minute cache); 0 means the input price (OpenAI writes for free).
    double cache_write = 0;
};

/// Prices by model name. Lookup takes the exact name, else the longest listed prefix
/// (so "gpt-4o-2024-08-06" is priced as "gpt-4o", and "gpt-4o-mini" as itself).
/// Local providers (ollama, command, loopback base URLs) cost nothing.
class PriceTable {
  public:
    /// An empty table.
    PriceTable() = default;

    /// A table with well-known list prices (as published by the providers in 2025; they
    /// change, so the config file may override them with set()).
    static PriceTable with_defaults();

    /// Adds or replaces the row for `model` (a model name or prefix, without provider).
    void set(std::string model, Price price);

    /// The price of `spec`'s model: 0 for local backends, nullopt when the model is unlisted.
    std::optional<Price> lookup(const ModelSpec& spec) const;

    /// Estimated USD for `usage` at `spec`'s price; nullopt when the price is unknown.
    std::optional<double> cost(const ModelSpec& spec, const Usage& usage) const;

  private:
    std::map<std::string, Price, std::less<>> rows_;
};

/// USD for `usage` at `price`: uncached prompt tokens at input, cached at cached_input,
/// written to the cache at cache_write.
double estimate_cost(const Price& price, const Usage& usage);

}  // namespace ciri
