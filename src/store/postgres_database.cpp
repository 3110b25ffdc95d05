// PostgreSQL backend on libpq: text-format parameters and results, `?` rewritten to $n,
// SQLSTATE mapped to Status codes.
#include <libpq-fe.h>

#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>

#include "store/internal/backends.hpp"

namespace madoguchi::store::internal {

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_single = false, in_double = false;
  for (char c : sql) {
    if (c == '\'' && !in_double) in_single = !in_single;
    else if (c == '"' && !in_single) in_double = !in_double;
    if (c == '?' && !in_single && !in_double) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// PostgreSQL type OIDs (pg_type.h) we convert from text.
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

Status PgError(PGconn* conn, const PGresult* res, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const std::string code = state ? state : "";
  if (code == "23505") return AlreadyExistsError("", msg, "duplicate");
  if (code.starts_with("23")) return InvalidArgumentError("", msg, "constraint_violation");
  if (code == "40001" || code == "40P01") return ConflictError(msg, "serialization_failure");
  if (code.starts_with("08") || code == "57P01" || code == "53300" || PQstatus(conn) != CONNECTION_OK) {
    return UnavailableError(msg, "database_unavailable");
  }
  if (code == "22021" || code == "22P02" || code == "22003") return InvalidArgumentError("", msg, "bad_value");
  return InternalError(msg, "database_error");
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    std::string rewritten = RewritePlaceholders(sql);
    std::vector<std::string> text(params.size());
    std::vector<const char*> ptrs(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) continue;
      if (auto p = std::get_if<int64_t>(&v)) text[i] = std::to_string(*p);
      else if (auto d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%.17g", *d);
        text[i] = buf;
      } else text[i] = std::get<std::string>(v);
      ptrs[i] = text[i].c_str();
    }
    // Statements are parsed and planned once per connection (the booking path runs the same few
    // thousands of times a second); a connection keeps at most kMaxPrepared of them.
    const std::string* name = nullptr;
    std::string key(sql);
    if (auto it = prepared_.find(key); it != prepared_.end()) {
      name = &it->second;
    } else if (prepared_.size() < kMaxPrepared) {
      std::string fresh = "s" + std::to_string(prepared_.size());
      std::unique_ptr<PGresult, decltype(&PQclear)> ready(
          PQprepare(conn_, fresh.c_str(), rewritten.c_str(), static_cast<int>(params.size()), nullptr), &PQclear);
      if (!ready || PQresultStatus(ready.get()) != PGRES_COMMAND_OK) return PgError(conn_, ready.get(), "query");
      name = &prepared_.emplace(std::move(key), std::move(fresh)).first->second;
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> res(
        name != nullptr
            ? PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()), ptrs.data(), nullptr, nullptr, 0)
            : PQexecParams(conn_, rewritten.c_str(), static_cast<int>(params.size()), nullptr, ptrs.data(), nullptr, nullptr, 0),
        &PQclear);
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return PgError(conn_, res.get(), "query");
    Rows rows;
    const int nrows = PQntuples(res.get());
    const int ncols = PQnfields(res.get());
    rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> values;
      values.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          values.emplace_back(nullptr);
          continue;
        }
        const char* s = PQgetvalue(res.get(), r, c);
        switch (PQftype(res.get(), c)) {
          case kInt8Oid:
          case kInt4Oid:
          case kInt2Oid: values.emplace_back(int64_t{std::strtoll(s, nullptr, 10)}); break;
          case kBoolOid: values.emplace_back(int64_t{s[0] == 't' ? 1 : 0}); break;
          case kFloat4Oid:
          case kFloat8Oid:
          case kNumericOid: values.emplace_back(std::strtod(s, nullptr)); break;
          default: values.emplace_back(std::string(s, PQgetlength(res.get(), r, c)));
        }
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  // A script may change the schema (migrations): statements prepared before it are dropped, so none
  // runs against a table whose columns changed.
  Result<int64_t> InsertReturningId(std::string_view sql, const std::vector<Value>& params) override {
    MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, Query(std::string(sql) + " RETURNING id", params));
    if (rows.size() != 1) return InternalError("the insert wrote no row: " + std::string(sql), "database_error");
    return rows[0].Int(0);
  }

  Status ExecuteScript(std::string_view sql) override {
    MADOGUCHI_RETURN_IF_ERROR(Exec(std::string(sql).c_str(), "script"));
    if (prepared_.empty()) return Status::Ok();
    prepared_.clear();
    return Exec("DEALLOCATE ALL", "script");
  }

  Status Begin() override { return Exec("BEGIN", "begin"); }
  Status Commit() override { return Exec("COMMIT", "commit"); }
  Status Rollback() override { return Exec("ROLLBACK", "rollback"); }
  Backend backend() const override { return Backend::kPostgres; }

 private:
  static constexpr size_t kMaxPrepared = 512;

  Status Exec(const char* sql, std::string_view what) {
    std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn_, sql), &PQclear);
    const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return PgError(conn_, res.get(), what);
    return Status::Ok();
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL as given → statement name
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, std::string display, const OpenOptions& options)
      : Database(Backend::kPostgres, std::move(display), options.max_connections), url_(std::move(url)) {}

 protected:
  Result<std::unique_ptr<Connection>> OpenConnection() override {
    PGconn* conn = PQconnectdb(url_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn);
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      PQfinish(conn);
      return UnavailableError("cannot connect to " + display_url() + ": " + msg, "database_unavailable");
    }
    auto c = std::make_unique<PgConnection>(conn);
    MADOGUCHI_RETURN_IF_ERROR(c->ExecuteScript("SET client_min_messages TO warning; SET TIME ZONE 'UTC'"));
    return std::unique_ptr<Connection>(std::move(c));
  }

 private:
  std::string url_;
};

// postgresql://user:secret@host/db -> postgresql://user:***@host/db
std::string HidePassword(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const OpenOptions& options) {
  return std::unique_ptr<Database>(std::make_unique<PgDatabase>(url, HidePassword(url), options));
}

}  // namespace madoguchi::store::internal
