#include "web/http/json.hpp"

#include "accounts/accounts.hpp"

namespace madoguchi::web {

HttpResponse JsonReply(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Result<json> ParseJsonObject(const HttpRequest& request) {
  if (!request.Header("Content-Type").starts_with("application/json")) {
    return MalformedError("Content-Type", "send Content-Type: application/json", "unsupported_media_type");
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return MalformedError("body", "the body is not valid JSON (or not valid UTF-8)", "bad_json");
  }
  if (!body.is_object()) return MalformedError("body", "the body must be a JSON object", "bad_json");
  return body;
}

std::optional<int64_t> ParseId(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int64_t v = std::stoll(s);
  if (v <= 0) return std::nullopt;
  return v;
}

HttpResponse CssResponse(const char* css) {
  HttpResponse r;
  r.content_type = "text/css; charset=utf-8";
  r.body = css;
  r.AddHeader("Cache-Control", "public, max-age=3600");
  return r;
}

HttpResponse ScriptResponse(const char* js) {
  HttpResponse r;
  r.content_type = "text/javascript; charset=utf-8";
  r.body = js;
  r.AddHeader("Cache-Control", "public, max-age=3600");
  return r;
}

Result<std::string> JsonString(const json& body, const char* field, size_t max_bytes, bool required) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (!required) return std::string();
    return InvalidArgumentError(field, "is required");
  }
  if (!it->is_string()) return InvalidArgumentError(field, "must be a string");
  std::string value = it->get<std::string>();
  if (value.size() > max_bytes) {
    return InvalidArgumentError(field, "must be at most " + std::to_string(max_bytes) + " bytes");
  }
  if (!accounts::IsValidUtf8(value)) return InvalidArgumentError(field, "must be valid UTF-8");
  return value;
}

}  // namespace madoguchi::web
