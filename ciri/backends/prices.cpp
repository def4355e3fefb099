#include "ciri/backends/prices.hpp"

#include <algorithm>

namespace ciri {

PriceTable PriceTable::with_defaults() {
    PriceTable t;
    // USD per 1M tokens: input, cached input (reads), output; Anthropic's cache writes (five-minute
    // cache) cost 1.25 times input, OpenAI's nothing more.
    t.set("gpt-4o", {2.50, 1.25, 10.00});
    t.set("gpt-4o-mini", {0.15, 0.075, 0.60});
    t.set("gpt-4.1", {2.00, 0.50, 8.00});
    t.set("gpt-4.1-mini", {0.40, 0.10, 1.60});
    t.set("gpt-4.1-nano", {0.10, 0.025, 0.40});
    t.set("gpt-4-turbo", {10.00, 10.00, 30.00});
    t.set("gpt-3.5-turbo", {0.50, 0.50, 1.50});
    t.set("o3-mini", {1.10, 0.55, 4.40});
    t.set("claude-opus-4", {15.00, 1.50, 75.00, 18.75});
    t.set("claude-sonnet-4", {3.00, 0.30, 15.00, 3.75});
    t.set("claude-3-7-sonnet", {3.00, 0.30, 15.00, 3.75});
    t.set("claude-3-5-sonnet", {3.00, 0.30, 15.00, 3.75});
    t.set("claude-haiku-4-5", {1.00, 0.10, 5.00, 1.25});
    t.set("claude-3-5-haiku", {0.80, 0.08, 4.00, 1.00});
    t.set("claude-3-haiku", {0.25, 0.03, 1.25, 0.30});
    return t;
}

void PriceTable::set(std::string model, Price price) {
    rows_[std::move(model)] = price;
}

std::optional<Price> PriceTable::lookup(const ModelSpec& spec) const {
    if (spec.provider == "ollama" || spec.provider == "command" || is_loopback_url(spec.base_url))
        return Price{};
    if (auto it = rows_.find(spec.model); it != rows_.end()) return it->second;
    std::optional<Price> best;
    size_t best_len = 0;
    for (const auto& [name, price] : rows_) {
        if (name.size() > best_len && spec.model.starts_with(name)) {
            best = price;
            best_len = name.size();
        }
    }
    return best;
}

std::optional<double> PriceTable::cost(const ModelSpec& spec, const Usage& usage) const {
    auto price = lookup(spec);
    if (!price) return std::nullopt;
    return estimate_cost(*price, usage);
}

double estimate_cost(const Price& price, const Usage& usage) {
    long cached = std::clamp(usage.cached_prompt, 0L, usage.prompt);
    long written = std::clamp(usage.cache_write, 0L, usage.prompt - cached);
    double write_price = price.cache_write > 0 ? price.cache_write : price.input;
    return (static_cast<double>(usage.prompt - cached - written) * price.input +
            static_cast<double>(cached) * price.cached_input + static_cast<double>(written) * write_price +
            static_cast<double>(usage.completion) * price.output) /
           1e6;
}

}  // namespace ciri
