// src/web/http/json.hpp — JSON in and out of the API (nlohmann::json), and small readers of
// request parts that every feature uses.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "common/status.hpp"
#include "web/http/http_types.hpp"

namespace madoguchi::web {

using nlohmann::json;

HttpResponse JsonReply(int status, const json& body);
// Parses the body as one JSON object. Errors: kMalformed for a wrong Content-Type, broken
// JSON, invalid UTF-8, or a non-object.
Result<json> ParseJsonObject(const HttpRequest& request);
// A string member. kInvalidArgument naming `field` when missing (and required), not a string,
// not UTF-8, or longer than `max_bytes`.
Result<std::string> JsonString(const json& body, const char* field, size_t max_bytes, bool required = true);

// A positive record id from a path or form ("123"); nullopt for anything else.
std::optional<int64_t> ParseId(const std::string& s);

// A style sheet response (cached for an hour).
HttpResponse CssResponse(const char* css);
// A script response (cached for an hour).
HttpResponse ScriptResponse(const char* js);

}  // namespace madoguchi::web
