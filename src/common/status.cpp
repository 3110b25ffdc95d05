#include "common/status.hpp"

namespace madoguchi {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kMalformed: return "malformed";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kAlreadyExists: return "already_exists";
    case StatusCode::kFailedPrecondition: return "failed_precondition";
    case StatusCode::kConflict: return "conflict";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kPermissionDenied: return "permission_denied";
    case StatusCode::kResourceExhausted: return "resource_exhausted";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = key_.empty() ? StatusCodeName(code_) : key_;
  if (!field_.empty()) out += "(" + field_ + ")";
  out += ": " + message_;
  return out;
}

Status InvalidArgumentError(std::string field, std::string message, std::string key) {
  return Status(StatusCode::kInvalidArgument, std::move(key), std::move(message), std::move(field));
}
Status MalformedError(std::string field, std::string message, std::string key) {
  return Status(StatusCode::kMalformed, std::move(key), std::move(message), std::move(field));
}
Status NotFoundError(std::string message, std::string key) { return Status(StatusCode::kNotFound, std::move(key), std::move(message)); }
Status AlreadyExistsError(std::string field, std::string message, std::string key) {
  return Status(StatusCode::kAlreadyExists, std::move(key), std::move(message), std::move(field));
}
Status FailedPreconditionError(std::string message, std::string key) {
  return Status(StatusCode::kFailedPrecondition, std::move(key), std::move(message));
}
Status ConflictError(std::string message, std::string key) { return Status(StatusCode::kConflict, std::move(key), std::move(message)); }
Status UnauthenticatedError(std::string message, std::string key) {
  return Status(StatusCode::kUnauthenticated, std::move(key), std::move(message));
}
Status PermissionDeniedError(std::string message, std::string key) {
  return Status(StatusCode::kPermissionDenied, std::move(key), std::move(message));
}
Status ResourceExhaustedError(std::string message, std::string key) {
  return Status(StatusCode::kResourceExhausted, std::move(key), std::move(message));
}
Status UnavailableError(std::string message, std::string key) {
  return Status(StatusCode::kUnavailable, std::move(key), std::move(message));
}
Status InternalError(std::string message, std::string key) { return Status(StatusCode::kInternal, std::move(key), std::move(message)); }

}  // namespace madoguchi
