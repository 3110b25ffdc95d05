// src/store/database.hpp — one database interface, two backends.
//
// SQL is written once with `?` placeholders; the PostgreSQL backend rewrites them to $1..$n.
// Values are NULL, 64-bit integers, doubles or UTF-8 text; times are stored as Unix
// milliseconds (UTC) in BIGINT columns. Schema differences between the backends are confined
// to migrations.cpp.
//
// Thread safety: a Database is shared by all threads; a Connection is used by one thread at a
// time (borrow it with Acquire(), it returns to the pool when the handle is destroyed).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::store {

enum class Backend { kSqlite, kPostgres };

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

// One result row. Accessors return the zero value for NULL.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  int64_t Int(size_t i) const;
  double Double(size_t i) const;
  std::string Text(size_t i) const;

 private:
  std::vector<Value> values_;
};
using Rows = std::vector<Row>;

class Connection {
 public:
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with `?` placeholders bound to `params` in order; returns its rows
  // (empty for statements without a result). Errors: kAlreadyExists on a unique or primary
  // key violation, kInvalidArgument on another constraint violation, kConflict on a
  // serialization failure or deadlock (the transaction must be retried), kUnavailable when
  // the database is busy or unreachable, kInternal for SQL errors (bugs).
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;

  // Runs an INSERT of one row, written without RETURNING, and returns the new row's `id`.
  // Errors as Query. (SQLite reads the row id: a RETURNING clause costs it a temporary table
  // every time the statement runs, which the single writer feels; PostgreSQL appends RETURNING.)
  virtual Result<int64_t> InsertReturningId(std::string_view sql, const std::vector<Value>& params) = 0;

  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  // Starts a write transaction (SQLite: BEGIN IMMEDIATE, so writers queue on the busy timeout
  // instead of failing on lock upgrade; PostgreSQL: BEGIN, read committed).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  virtual Backend backend() const = 0;

 protected:
  Connection() = default;
};

class Database;

// A borrowed connection; returns to its pool on destruction. Move-only.
class ConnectionHandle {
 public:
  ConnectionHandle(Database* owner, std::unique_ptr<Connection> conn) : owner_(owner), conn_(std::move(conn)) {}
  ConnectionHandle(ConnectionHandle&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)), conn_(std::move(other.conn_)) {}
  ConnectionHandle& operator=(ConnectionHandle&&) = delete;
  ~ConnectionHandle();
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }
  // Drops the connection instead of returning it (after a connection-level failure).
  void Discard() { conn_.reset(); }

 private:
  Database* owner_;
  std::unique_ptr<Connection> conn_;
};

struct OpenOptions {
  int max_connections = 16;             // pool size; SQLite serializes writers anyway
  int busy_timeout_ms = 10'000;         // SQLite: wait this long for the write lock
  bool sqlite_synchronous_full = true;  // fsync the WAL on every commit (durable before we answer)
};

class Database {
 public:
  virtual ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Borrows a connection, opening one if the pool has fewer than max_connections; waits for
  // one to come back otherwise. Errors: kUnavailable when the database cannot be reached.
  Result<ConnectionHandle> Acquire();

  Backend backend() const { return backend_; }
  // The URL with any password removed, for logs.
  const std::string& display_url() const { return display_url_; }

  // Closes every pooled connection. Connections still borrowed close when returned.
  void CloseIdle();

 protected:
  Database(Backend backend, std::string display_url, int max_connections);
  virtual Result<std::unique_ptr<Connection>> OpenConnection() = 0;

 private:
  friend class ConnectionHandle;
  void Return(std::unique_ptr<Connection> conn);
  struct Pool;
  Backend backend_;
  std::string display_url_;
  std::unique_ptr<Pool> pool_;
};

// Opens "sqlite:PATH" (the file and its directory are created) or "postgresql://…" /
// "postgres://…" (a libpq URI). Checks that one connection can be made.
// Errors: kInvalidArgument naming "db" for an unknown scheme; kUnavailable when unreachable.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, const OpenOptions& options = {});

// Runs `fn` in a transaction on a borrowed connection: commits when it returns OK, rolls back
// otherwise, and retries up to 5 times on kConflict (serialization failure). `fn` must be safe
// to run more than once.
Status InTransaction(Database& db, const std::function<Status(Connection&)>& fn);

// Runs `fn` on a borrowed connection without a transaction (single reads).
Status WithConnection(Database& db, const std::function<Status(Connection&)>& fn);

}  // namespace madoguchi::store
