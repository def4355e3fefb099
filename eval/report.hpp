// report.md and report.html, rendered from a results.json.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace ciri {

/// Markdown tables like the paper's: parameter- and file-level F1 per system for the setup and
/// each member (Table V), precision/recall/accuracy per system, detection per misconfiguration
/// category and subcategory (Table IX), then answer rates, usage, cost and latency.
std::string render_markdown(const nlohmann::json& results);

/// One self-contained HTML page (inline CSS and SVG, no script, no external resource) with the
/// same tables and bar charts: F1 per system per setup (both levels), precision and recall per
/// system, and cost per system.
std::string render_html(const nlohmann::json& results);

}  // namespace ciri
