// src/store/accounts_repo.hpp — tenants, staff users, sessions, API tokens, login failures.
//
// Free functions over a borrowed Connection so callers can compose them in one transaction
// (store::InTransaction). They check nothing but what the schema enforces: validation lives in
// src/accounts and src/common. Errors are those of Connection::Query.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

struct Tenant {
  std::string code;  // 6-digit local-government code
  std::string name;  // e.g. 日南市
  int64_t created_at_ms = 0;
};

// kAlreadyExists (field "code") when the code is taken.
Status InsertTenant(Connection& conn, const Tenant& tenant);
Result<std::optional<Tenant>> FindTenant(Connection& conn, const std::string& code);
// All tenants when `codes` is nullopt, else only those listed; ordered by code.
Result<std::vector<Tenant>> ListTenants(Connection& conn, const std::optional<std::vector<std::string>>& codes);

struct User {
  int64_t id = 0;
  std::string login;
  std::string display_name;
  accounts::Role role = accounts::Role::kOperator;
  bool disabled = false;
  std::vector<std::string> tenants;  // sorted
  int64_t created_at_ms = 0;
};

struct NewUser {
  std::string login;
  std::string display_name;
  accounts::Role role = accounts::Role::kOperator;
  std::string password_hash;
  std::vector<std::string> tenants;
  int64_t created_at_ms = 0;
};

// Returns the new id. kAlreadyExists (field "login") when the login is taken; kInvalidArgument
// (field "tenant") when a tenant does not exist.
Result<int64_t> InsertUser(Connection& conn, const NewUser& user);
Result<std::optional<User>> FindUserById(Connection& conn, int64_t id);
// The user and its stored password hash.
Result<std::optional<std::pair<User, std::string>>> FindUserByLogin(Connection& conn, const std::string& login);
// Users bound to `tenant`, or every user when nullopt; ordered by login.
Result<std::vector<User>> ListUsers(Connection& conn, const std::optional<std::string>& tenant);
// Binds an existing user to an existing tenant. kAlreadyExists when already bound.
Status BindUserToTenant(Connection& conn, int64_t user_id, const std::string& tenant_code);
// Replaces the hash and ends every session of the user. kNotFound when there is no such user.
Status SetPasswordHash(Connection& conn, int64_t user_id, const std::string& password_hash);

struct SessionRecord {
  std::string token_hash;  // SHA-256 hex of the cookie value; the token itself is never stored
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t created_at_ms = 0;
  int64_t last_seen_ms = 0;
  int64_t expires_at_ms = 0;
  std::string source_addr;
};

Status InsertSession(Connection& conn, const SessionRecord& session);
Result<std::optional<SessionRecord>> FindSession(Connection& conn, const std::string& token_hash);
Status TouchSession(Connection& conn, const std::string& token_hash, int64_t last_seen_ms, int64_t expires_at_ms);
Status DeleteSession(Connection& conn, const std::string& token_hash);
// Returns how many were removed.
Result<int64_t> DeleteExpiredSessions(Connection& conn, int64_t now_ms);

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  int64_t created_at_ms = 0;
  std::optional<int64_t> revoked_at_ms;
  std::optional<int64_t> last_used_ms;
};

Result<int64_t> InsertApiToken(Connection& conn, int64_t user_id, const std::string& name,
                               const std::string& token_hash, int64_t now_ms);
// Only tokens that are not revoked.
Result<std::optional<ApiToken>> FindActiveApiToken(Connection& conn, const std::string& token_hash);
Result<std::vector<ApiToken>> ListApiTokens(Connection& conn, int64_t user_id);
// False when the user has no such active token.
Result<bool> RevokeApiToken(Connection& conn, int64_t user_id, int64_t token_id, int64_t now_ms);
Status MarkApiTokenUsed(Connection& conn, int64_t token_id, int64_t now_ms);

Status RecordLoginFailure(Connection& conn, const std::string& login, const std::string& source_addr, int64_t at_ms);
struct FailureCounts {
  int by_login = 0;
  int by_address = 0;
};
Result<FailureCounts> CountLoginFailures(Connection& conn, const std::string& login,
                                         const std::string& source_addr, int64_t since_ms);
// Forgets the failures of `login` (after a successful login) and everything older than `before_ms`.
Status ClearLoginFailures(Connection& conn, const std::string& login, int64_t before_ms);

}  // namespace madoguchi::store
