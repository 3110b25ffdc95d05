#include "store/accounts/accounts.hpp"

#include <algorithm>

namespace madoguchi::store {
namespace {

Tenant TenantFromRow(const Row& r) { return Tenant{r.Text(0), r.Text(1), r.Int(2)}; }

constexpr const char* kUserColumns = "id, login, display_name, role, disabled, created_at, must_change_password";

Result<User> UserFromRow(Connection& conn, const Row& r) {
  User u;
  u.id = r.Int(0);
  u.login = r.Text(1);
  u.display_name = r.Text(2);
  auto role = accounts::ParseRole(r.Text(3));
  // A role this code does not know is the database's fault, not the caller's input.
  if (!role.ok()) return InternalError("users.role holds '" + r.Text(3) + "'", "bad_stored_role");
  u.role = *role;
  u.disabled = r.Int(4) != 0;
  u.created_at_ms = r.Int(5);
  u.must_change_password = r.Int(6) != 0;
  MADOGUCHI_ASSIGN_OR_RETURN(Rows tenants,
                             conn.Query("SELECT tenant_code FROM user_tenants WHERE user_id = ? ORDER BY tenant_code", {u.id}));
  for (const Row& t : tenants) u.tenants.push_back(t.Text(0));
  return u;
}

}  // namespace

Status InsertTenant(Connection& conn, const Tenant& t) {
  auto r = conn.Query("INSERT INTO tenants (code, name, created_at) VALUES (?, ?, ?)", {t.code, t.name, t.created_at_ms});
  if (!r.ok() && r.status().code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("code", "tenant " + t.code + " already exists", "tenant_exists");
  }
  return r.status();
}

Result<std::optional<Tenant>> FindTenant(Connection& conn, const std::string& code) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT code, name, created_at FROM tenants WHERE code = ?", {code}));
  if (rows.empty()) return std::optional<Tenant>();
  return std::optional<Tenant>(TenantFromRow(rows[0]));
}

Result<std::vector<Tenant>> ListTenants(Connection& conn, const std::optional<std::vector<std::string>>& codes) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT code, name, created_at FROM tenants ORDER BY code"));
  std::vector<Tenant> out;
  for (const Row& r : rows) {
    Tenant t = TenantFromRow(r);
    if (codes && std::find(codes->begin(), codes->end(), t.code) == codes->end()) continue;
    out.push_back(std::move(t));
  }
  return out;
}

Result<int64_t> InsertUser(Connection& conn, const NewUser& u) {
  auto inserted = conn.Query(
      "INSERT INTO users (login, display_name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?) "
      "RETURNING id",
      {u.login, u.display_name, std::string(accounts::RoleName(u.role)), u.password_hash, u.created_at_ms});
  if (!inserted.ok()) {
    if (inserted.status().code() == StatusCode::kAlreadyExists) {
      return AlreadyExistsError("login", "login " + u.login + " is already taken", "login_taken");
    }
    return inserted.status();
  }
  const int64_t id = inserted->at(0).Int(0);
  for (const std::string& code : u.tenants) {
    MADOGUCHI_ASSIGN_OR_RETURN(auto tenant, FindTenant(conn, code));
    if (!tenant) return InvalidArgumentError("tenant", "tenant " + code + " does not exist", "unknown_tenant");
    MADOGUCHI_RETURN_IF_ERROR(BindUserToTenant(conn, id, code));
  }
  return id;
}

Status BindUserToTenant(Connection& conn, int64_t user_id, const std::string& tenant_code) {
  return conn.Query("INSERT INTO user_tenants (user_id, tenant_code) VALUES (?, ?)", {user_id, tenant_code}).status();
}

Result<std::optional<User>> FindUserById(Connection& conn, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id}));
  if (rows.empty()) return std::optional<User>();
  MADOGUCHI_ASSIGN_OR_RETURN(User u, UserFromRow(conn, rows[0]));
  return std::optional<User>(std::move(u));
}

Result<std::optional<std::pair<User, std::string>>> FindUserByLogin(Connection& conn, const std::string& login) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query(std::string("SELECT ") + kUserColumns + ", password_hash FROM users WHERE login = ?", {login}));
  if (rows.empty()) return std::optional<std::pair<User, std::string>>();
  MADOGUCHI_ASSIGN_OR_RETURN(User u, UserFromRow(conn, rows[0]));
  return std::optional<std::pair<User, std::string>>(std::make_pair(std::move(u), rows[0].Text(7)));
}

Result<std::vector<User>> ListUsers(Connection& conn, const std::optional<std::string>& tenant) {
  Result<Rows> rows = tenant ? conn.Query(std::string("SELECT ") + kUserColumns +
                                              " FROM users WHERE id IN (SELECT user_id FROM user_tenants "
                                              "WHERE tenant_code = ?) ORDER BY login",
                                          {*tenant})
                             : conn.Query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY login");
  if (!rows.ok()) return rows.status();
  std::vector<User> out;
  for (const Row& r : *rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(User u, UserFromRow(conn, r));
    out.push_back(std::move(u));
  }
  return out;
}

// Every session and token of a user ends (a password change, disabling).
Status EndSessionsAndTokens(Connection& conn, int64_t user_id, int64_t now_ms) {
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("DELETE FROM sessions WHERE user_id = ?", {user_id}).status());
  return conn.Query("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {now_ms, user_id}).status();
}

Status SetPasswordHash(Connection& conn, int64_t user_id, const std::string& hash, int64_t now_ms, bool must_change) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ? RETURNING id",
                                                   {hash, int64_t{must_change ? 1 : 0}, user_id}));
  if (rows.empty()) return NotFoundError("no such user", "unknown_user");
  return EndSessionsAndTokens(conn, user_id, now_ms);
}

Status SetUserRole(Connection& conn, int64_t user_id, accounts::Role role, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("UPDATE users SET role = ? WHERE id = ? RETURNING id", {std::string(accounts::RoleName(role)), user_id}));
  if (rows.empty()) return NotFoundError("no such user", "unknown_user");
  // A session carries the role it was opened with: the next request must see the new one.
  return EndSessionsAndTokens(conn, user_id, now_ms);
}

Status SetUserTenants(Connection& conn, int64_t user_id, const std::vector<std::string>& tenants, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT id FROM users WHERE id = ?", {user_id}));
  if (rows.empty()) return NotFoundError("no such user", "unknown_user");
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("DELETE FROM user_tenants WHERE user_id = ?", {user_id}).status());
  for (const std::string& t : tenants) MADOGUCHI_RETURN_IF_ERROR(BindUserToTenant(conn, user_id, t));
  return EndSessionsAndTokens(conn, user_id, now_ms);
}

Status SetUserDisabled(Connection& conn, int64_t user_id, bool disabled, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("UPDATE users SET disabled = ? WHERE id = ? RETURNING id", {int64_t{disabled ? 1 : 0}, user_id}));
  if (rows.empty()) return NotFoundError("no such user", "unknown_user");
  if (!disabled) return Status::Ok();
  return EndSessionsAndTokens(conn, user_id, now_ms);
}

Status InsertSession(Connection& conn, const SessionRecord& s) {
  return conn
      .Query(
          "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, source_addr) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          {s.token_hash, s.user_id, s.csrf_token, s.created_at_ms, s.last_seen_ms, s.expires_at_ms, s.source_addr})
      .status();
}

Result<std::optional<SessionRecord>> FindSession(Connection& conn, const std::string& token_hash) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, source_addr "
                                        "FROM sessions WHERE token_hash = ?",
                                        {token_hash}));
  if (rows.empty()) return std::optional<SessionRecord>();
  const Row& r = rows[0];
  return std::optional<SessionRecord>(SessionRecord{r.Text(0), r.Int(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5), r.Text(6)});
}

Status TouchSession(Connection& conn, const std::string& token_hash, int64_t last_seen_ms, int64_t expires_at_ms) {
  return conn.Query("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?", {last_seen_ms, expires_at_ms, token_hash})
      .status();
}

Status DeleteSession(Connection& conn, const std::string& token_hash) {
  return conn.Query("DELETE FROM sessions WHERE token_hash = ?", {token_hash}).status();
}

Result<int64_t> DeleteExpiredSessions(Connection& conn, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("DELETE FROM sessions WHERE expires_at <= ? RETURNING user_id", {now_ms}));
  return static_cast<int64_t>(rows.size());
}

namespace {
Result<ApiToken> TokenFromRow(const Row& r) {
  ApiToken t{r.Int(0), r.Int(1), r.Text(2), r.Int(3), std::nullopt, std::nullopt, r.Int(6), accounts::TokenScope::kFull};
  if (!r.IsNull(4)) t.revoked_at_ms = r.Int(4);
  if (!r.IsNull(5)) t.last_used_ms = r.Int(5);
  auto scope = accounts::ParseTokenScope(r.Text(7));
  if (!scope.ok()) return InternalError("api_tokens.scope holds '" + r.Text(7) + "'");
  t.scope = *scope;
  return t;
}
constexpr const char* kTokenColumns = "id, user_id, name, created_at, revoked_at, last_used_at, expires_at, scope";
}  // namespace

Result<int64_t> InsertApiToken(Connection& conn, int64_t user_id, const std::string& name, const std::string& token_hash, int64_t now_ms,
                               int64_t expires_at_ms, accounts::TokenScope scope) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at, scope) "
                                        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                        {user_id, name, token_hash, now_ms, expires_at_ms, std::string(accounts::TokenScopeName(scope))}));
  return rows.at(0).Int(0);
}

Result<std::optional<ApiToken>> FindActiveApiToken(Connection& conn, const std::string& token_hash, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT ") + kTokenColumns +
                                                       " FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?",
                                                   {token_hash, now_ms}));
  if (rows.empty()) return std::optional<ApiToken>();
  MADOGUCHI_ASSIGN_OR_RETURN(ApiToken t, TokenFromRow(rows[0]));
  return std::optional<ApiToken>(std::move(t));
}

Result<std::vector<ApiToken>> ListApiTokens(Connection& conn, int64_t user_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE user_id = ? ORDER BY id", {user_id}));
  std::vector<ApiToken> out;
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(ApiToken t, TokenFromRow(r));
    out.push_back(std::move(t));
  }
  return out;
}

Result<bool> RevokeApiToken(Connection& conn, int64_t user_id, int64_t token_id, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL "
                                        "RETURNING id",
                                        {now_ms, token_id, user_id}));
  return !rows.empty();
}

Status MarkApiTokenUsed(Connection& conn, int64_t token_id, int64_t now_ms) {
  return conn.Query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now_ms, token_id}).status();
}

Status LockGuessSubject(Connection& conn, std::string_view scope, const std::string& subject) {
  if (conn.backend() != Backend::kPostgres) return Status::Ok();
  return conn.Query("SELECT pg_advisory_xact_lock(7319001, hashtext(?))", {std::string(scope) + ":" + subject}).status();
}

Result<accounts::FailureCounts> CountGuessFailures(Connection& conn, std::string_view scope, const std::string& subject,
                                                   const std::string& source, int64_t since_ms) {
  const std::string sc(scope);
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT (SELECT COUNT(*) FROM guess_failures WHERE scope = ? AND subject = ? AND at >= ?), "
                                        "(SELECT COUNT(*) FROM guess_failures WHERE scope = ? AND source = ? AND at >= ?), "
                                        "(SELECT MAX(at) FROM guess_failures WHERE scope = ? AND source = ? AND at >= ?)",
                                        {sc, subject, since_ms, sc, source, since_ms, sc, source, since_ms}));
  const Row& r = rows.at(0);
  return accounts::FailureCounts{static_cast<int>(r.Int(0)), static_cast<int>(r.Int(1)), r.IsNull(2) ? 0 : r.Int(2)};
}

Result<int64_t> RecordGuessFailure(Connection& conn, std::string_view scope, const std::string& subject, const std::string& source,
                                   int64_t at_ms, int64_t forget_before_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("INSERT INTO guess_failures (scope, subject, source, at) VALUES (?, ?, ?, ?) "
                                                   "RETURNING id",
                                                   {std::string(scope), subject, source, at_ms}));
  const int64_t id = rows.at(0).Int(0);
  if (id % 256 == 0) {
    MADOGUCHI_RETURN_IF_ERROR(conn.Query("DELETE FROM guess_failures WHERE at < ?", {forget_before_ms}).status());
  }
  return id;
}

Status ForgetGuessFailure(Connection& conn, int64_t id) { return conn.Query("DELETE FROM guess_failures WHERE id = ?", {id}).status(); }

Status ClearGuessFailures(Connection& conn, std::string_view scope, const std::string& subject) {
  return conn.Query("DELETE FROM guess_failures WHERE scope = ? AND subject = ?", {std::string(scope), subject}).status();
}

}  // namespace madoguchi::store
