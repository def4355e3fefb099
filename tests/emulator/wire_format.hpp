// One provider's wire format: decoding its requests, encoding its replies and errors.
#pragma once

#include <expected>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/emulator/chat.hpp"

namespace ciri::emulator {

/// Provider-independent error classes; each format maps them to its own error JSON.
enum class ErrorKind { invalid_request, authentication, rate_limit, server, overloaded };

/// A request the format refuses, with the HTTP status to answer.
struct WireError {
    int status = 400;
    ErrorKind kind = ErrorKind::invalid_request;
    std::string message;
};

/// A provider's request/reply encoding (stateless, thread-safe).
class WireFormat {
  public:
    virtual ~WireFormat() = default;

    /// Which endpoint family this is.
    virtual Endpoint endpoint() const = 0;

    /// The decoded request, or why the provider would refuse it (bad JSON, missing headers...).
    virtual std::expected<ChatRequest, WireError> parse(const httplib::Request& request) const = 0;

    /// The provider's success body for `completion`.
    virtual nlohmann::json reply(const ChatRequest& request,
                                 const Completion& completion) const = 0;

    /// The provider's error body.
    virtual nlohmann::json error(ErrorKind kind, const std::string& message) const = 0;
};

/// The text of a message `content`: a string, or the "text" of its blocks concatenated.
/// Returns false when `content` has neither shape.
bool content_text(const nlohmann::json& content, std::string& out);

/// Parses the body as a JSON object, or says why not.
std::expected<nlohmann::json, WireError> parse_body(const httplib::Request& request);

/// Reads a string or array-of-strings stop field into `out`; false when it is neither.
bool stop_sequences(const nlohmann::json& value, std::vector<std::string>& out);

/// An invalid_request WireError (HTTP 400).
inline std::unexpected<WireError> invalid(std::string message) {
    return std::unexpected(WireError{400, ErrorKind::invalid_request, std::move(message)});
}

}  // namespace ciri::emulator
