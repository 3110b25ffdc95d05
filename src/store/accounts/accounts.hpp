// src/store/accounts/accounts.hpp — tenants, staff users, sessions, API tokens, login failures.
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
// Errors: the database's.
Result<std::optional<Tenant>> FindTenant(Connection& conn, const std::string& code);
// All tenants when `codes` is nullopt, else only those listed; ordered by code.
// Errors: the database's.
Result<std::vector<Tenant>> ListTenants(Connection& conn, const std::optional<std::vector<std::string>>& codes);

struct User {
  int64_t id = 0;
  std::string login;
  std::string display_name;
  accounts::Role role = accounts::Role::kOperator;
  bool disabled = false;
  bool must_change_password = false;  // an admin set the password: they choose their own at login
  std::vector<std::string> tenants;   // sorted
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
// Errors: kInternal bad_stored_role for a role this code does not know; the database's.
Result<std::optional<User>> FindUserById(Connection& conn, int64_t id);
// The user and its stored password hash.
// Errors: kInternal bad_stored_role for a role this code does not know; the database's.
Result<std::optional<std::pair<User, std::string>>> FindUserByLogin(Connection& conn, const std::string& login);
// Users bound to `tenant`, or every user when nullopt; ordered by login.
// Errors: kInternal bad_stored_role for a role this code does not know; the database's.
Result<std::vector<User>> ListUsers(Connection& conn, const std::optional<std::string>& tenant);
// Binds an existing user to an existing tenant. kAlreadyExists when already bound.
Status BindUserToTenant(Connection& conn, int64_t user_id, const std::string& tenant_code);
// Replaces the hash and ends every session and API token of the user; `must_change`: an admin
// set it, and the person must choose their own at their next login. kNotFound when there is no
// such user.
Status SetPasswordHash(Connection& conn, int64_t user_id, const std::string& password_hash, int64_t now_ms, bool must_change = false);
// Changes the user's role and ends their sessions and tokens. kNotFound when there is no such user.
Status SetUserRole(Connection& conn, int64_t user_id, accounts::Role role, int64_t now_ms);
// The municipalities the user works for, in place of those before; their sessions and tokens end
// (each carries the municipalities it was opened with). Errors: kNotFound "unknown_user"; the database's.
Status SetUserTenants(Connection& conn, int64_t user_id, const std::vector<std::string>& tenants, int64_t now_ms);
// Disables (or enables) a user; disabling ends their sessions and API tokens at once.
// kNotFound when there is no such user.
Status SetUserDisabled(Connection& conn, int64_t user_id, bool disabled, int64_t now_ms);

struct SessionRecord {
  std::string token_hash;  // SHA-256 hex of the cookie value; the token itself is never stored
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t created_at_ms = 0;
  int64_t last_seen_ms = 0;
  int64_t expires_at_ms = 0;
  std::string source_addr;
};

// Errors: the database's.
Status InsertSession(Connection& conn, const SessionRecord& session);
// Errors: the database's.
Result<std::optional<SessionRecord>> FindSession(Connection& conn, const std::string& token_hash);
// Errors: the database's.
Status TouchSession(Connection& conn, const std::string& token_hash, int64_t last_seen_ms, int64_t expires_at_ms);
// Errors: the database's.
Status DeleteSession(Connection& conn, const std::string& token_hash);
// Returns how many were removed.
// Errors: the database's.
Result<int64_t> DeleteExpiredSessions(Connection& conn, int64_t now_ms);

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  int64_t created_at_ms = 0;
  std::optional<int64_t> revoked_at_ms;
  std::optional<int64_t> last_used_ms;
  int64_t expires_at_ms = 0;
  accounts::TokenScope scope = accounts::TokenScope::kFull;
};

// Errors: the database's.
Result<int64_t> InsertApiToken(Connection& conn, int64_t user_id, const std::string& name, const std::string& token_hash, int64_t now_ms,
                               int64_t expires_at_ms, accounts::TokenScope scope);
// Only tokens neither revoked nor expired at `now_ms`. kInternal for a scope the code does not know.
Result<std::optional<ApiToken>> FindActiveApiToken(Connection& conn, const std::string& token_hash, int64_t now_ms);
// Errors: kInternal for a scope this code does not know; the database's.
Result<std::vector<ApiToken>> ListApiTokens(Connection& conn, int64_t user_id);
// False when the user has no such active token.
// Errors: the database's.
Result<bool> RevokeApiToken(Connection& conn, int64_t user_id, int64_t token_id, int64_t now_ms);
// Errors: the database's.
Status MarkApiTokenUsed(Connection& conn, int64_t token_id, int64_t now_ms);

// ---- guesses (throttling; the rules are accounts::Throttle) ----
// `scope` is "staff" (subject: the login) or "resident" (subject: "tenant:券番号"); `source` is the
// client address or, for LINE, "line:" and the LINE user id.

// Serialises attempts on one subject until the transaction ends: PostgreSQL takes an advisory
// lock; SQLite's write transaction already holds the database's one write lock. Errors: the
// database's.
Status LockGuessSubject(Connection& conn, std::string_view scope, const std::string& subject);
// Failures since `since_ms` for the subject and for the source. Errors: the database's.
Result<accounts::FailureCounts> CountGuessFailures(Connection& conn, std::string_view scope, const std::string& subject,
                                                   const std::string& source, int64_t since_ms);
// Records a failure (or reserves one before an expensive check); returns its id. Now and then
// also deletes failures older than `forget_before_ms`. Errors: the database's.
Result<int64_t> RecordGuessFailure(Connection& conn, std::string_view scope, const std::string& subject, const std::string& source,
                                   int64_t at_ms, int64_t forget_before_ms);
// Takes back a reservation whose check succeeded. Errors: the database's.
Status ForgetGuessFailure(Connection& conn, int64_t id);
// Forgets every failure of a subject (an admin's password reset). Errors: the database's.
Status ClearGuessFailures(Connection& conn, std::string_view scope, const std::string& subject);

}  // namespace madoguchi::store
