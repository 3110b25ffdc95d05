// src/common/status.hpp — expected failures as values.
//
// Engines and adapters return `Status` or `Result<T>` instead of throwing. A Status carries:
//   * a canonical `StatusCode` (a small closed set; web/error_mapping.cpp turns it into HTTP),
//   * a machine `key` in snake_case that clients may switch on ("slot_full", "bad_json", ...),
//   * a human `message` (English; pages translate by key),
//   * the `field` the error is about, when one is ("login", "code", "line 3, column 7", ...).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace madoguchi {

// Never reorder: web/error_mapping.cpp maps each one without a default branch.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller sent something wrong; `field` says what
  kMalformed,           // the request cannot be parsed at all (broken JSON, bad UTF-8, wrong type)
  kNotFound,            // the record does not exist (or is not visible to the caller)
  kAlreadyExists,       // a unique key is taken
  kFailedPrecondition,  // the system is not in a state that allows this
  kConflict,            // a concurrent change won; retrying may succeed
  kUnauthenticated,     // no or bad credentials
  kPermissionDenied,    // credentials are fine but the role/tenant may not do this
  kResourceExhausted,   // throttled or over a limit
  kUnavailable,         // a dependency (database) is down or busy
  kInternal,            // a bug or an impossible state
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string key, std::string message, std::string field = {})
      : code_(code), key_(std::move(key)), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

  // "invalid_argument(login): must not be empty" — for logs and CLI errors.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string key_;
  std::string message_;
  std::string field_;
};

// Shorthands with the default key for each code.
Status InvalidArgumentError(std::string field, std::string message, std::string key = "invalid_argument");
Status MalformedError(std::string field, std::string message, std::string key = "bad_request");
Status NotFoundError(std::string message, std::string key = "not_found");
Status AlreadyExistsError(std::string field, std::string message, std::string key = "already_exists");
Status FailedPreconditionError(std::string message, std::string key = "failed_precondition");
Status ConflictError(std::string message, std::string key = "conflict");
Status UnauthenticatedError(std::string message, std::string key = "unauthenticated");
Status PermissionDeniedError(std::string message, std::string key = "forbidden");
Status ResourceExhaustedError(std::string message, std::string key = "too_many_requests");
Status UnavailableError(std::string message, std::string key = "unavailable");
Status InternalError(std::string message, std::string key = "internal");

// A value or the Status that explains why there is none. Shaped like absl::StatusOr.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(data_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace madoguchi

#define MADOGUCHI_CONCAT_INNER(a, b) a##b
#define MADOGUCHI_CONCAT(a, b) MADOGUCHI_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define MADOGUCHI_RETURN_IF_ERROR(expr)        \
  do {                                         \
    ::madoguchi::Status _mdg_status = (expr);  \
    if (!_mdg_status.ok()) return _mdg_status; \
  } while (0)

// `lhs = value of expr`, or returns its Status from the enclosing function.
#define MADOGUCHI_ASSIGN_OR_RETURN(lhs, expr) MADOGUCHI_ASSIGN_OR_RETURN_IMPL(MADOGUCHI_CONCAT(_mdg_result_, __LINE__), lhs, expr)
#define MADOGUCHI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return tmp.status();                   \
  lhs = std::move(tmp).value()
