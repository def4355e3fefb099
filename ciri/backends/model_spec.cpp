#include "ciri/backends/model_spec.hpp"

#include <algorithm>
#include <cctype>

namespace ciri {

namespace {

bool valid_provider(std::string_view p) {
    return !p.empty() && std::ranges::all_of(p, [](char c) {
        return std::islower(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

// The host part of a URL: between "://" (and any "user@") and the port, path or end.
std::string_view url_host(std::string_view url) {
    auto scheme = url.find("://");
    if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
    url = url.substr(0, url.find_first_of("/?#"));
    if (auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
    if (url.starts_with('[')) return url.substr(0, url.find(']') + 1);
    return url.substr(0, url.find(':'));
}

}  // namespace

std::string ModelSpec::to_string() const {
    std::string out = provider + "/" + model;
    if (!base_url.empty()) out += "@" + base_url;
    return out;
}

Expected<ModelSpec> parse_model_spec(std::string_view text) {
    auto quoted = "'" + std::string(text) + "'";
    if (text.empty()) return fail("empty model spec: expected provider/model[@base_url]");
    auto slash = text.find('/');
    if (slash == std::string_view::npos)
        return fail("model spec " + quoted +
                    " has no provider: expected provider/model, e.g. openai/gpt-4o");
    ModelSpec spec;
    spec.provider = std::string(text.substr(0, slash));
    if (!valid_provider(spec.provider))
        return fail("model spec " + quoted + ": bad provider name '" + spec.provider + "'");
    std::string_view rest = text.substr(slash + 1);
    size_t at = std::string_view::npos;
    for (std::string_view scheme : {"@http://", "@https://"}) at = std::min(at, rest.find(scheme));
    if (at != std::string_view::npos) {
        std::string_view url = rest.substr(at + 1);
        if (url_host(url).empty()) return fail("model spec " + quoted + ": base url has no host");
        while (url.ends_with('/')) url.remove_suffix(1);
        spec.base_url = std::string(url);
        rest = rest.substr(0, at);
    }
    if (rest.empty())
        return fail("model spec " + quoted + " has no model name after '" + spec.provider + "/'");
    if (std::ranges::any_of(rest,
                            [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
        return fail("model spec " + quoted + ": model name contains whitespace");
    spec.model = std::string(rest);
    return spec;
}

bool is_loopback_url(std::string_view url) {
    std::string host(url_host(url));
    std::ranges::transform(host, host.begin(), [](unsigned char c) { return std::tolower(c); });
    // "127.example.com" is not loopback: only a dotted IPv4 address in 127/8 is.
    bool ipv4 = std::ranges::all_of(
        host, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
    return host == "localhost" || host == "[::1]" || (ipv4 && host.starts_with("127."));
}

}  // namespace ciri
