#include "web/http/error_mapping.hpp"

#include <nlohmann/json.hpp>

namespace madoguchi::web {

int HttpStatusFor(StatusCode code) {
  switch (code) {  // no default: -Werror=switch makes a new code a build error until mapped
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 422;
    case StatusCode::kMalformed: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kConflict: return 409;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

HttpResponse JsonError(int http_status, const Status& status) {
  nlohmann::json err = {{"code", status.key().empty() ? StatusCodeName(status.code()) : status.key()}, {"message", status.message()}};
  if (!status.field().empty()) err["field"] = status.field();
  HttpResponse r;
  r.status = http_status;
  // replace: an error may quote input that is not valid UTF-8
  r.body = nlohmann::json{{"error", err}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpResponse JsonError(const Status& status) { return JsonError(HttpStatusFor(status.code()), status); }

}  // namespace madoguchi::web
