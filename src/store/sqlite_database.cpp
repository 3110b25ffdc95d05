// SQLite backend: WAL journal, foreign keys on, a busy timeout, synchronous=FULL so a commit is
// on disk before we answer. Each pooled connection caches its prepared statements.
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>
#include <chrono>
#include <condition_variable>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "store/internal/backends.hpp"

namespace madoguchi::store::internal {
namespace {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int ext = sqlite3_extended_errcode(db);
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
      if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExistsError("", msg, "duplicate");
      }
      return InvalidArgumentError("", msg, "constraint_violation");
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return UnavailableError(msg, "database_busy");
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY: return UnavailableError(msg, "database_unavailable");
    default: return InternalError(msg, "database_error");
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* stmt = nullptr;
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
      cache_.emplace(std::string(sql), stmt);
    }
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{stmt};

    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return InternalError("parameter count mismatch for: " + std::string(sql), "database_error");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i + 1);
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) return sqlite3_bind_null(stmt, idx);
            else if constexpr (std::is_same_v<T, int64_t>) return sqlite3_bind_int64(stmt, idx, v);
            else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt, idx, v);
            // SQLITE_STATIC: `params` outlives the statement's use of it (the bindings are
            // cleared before Query returns), so the text is not copied.
            else return sqlite3_bind_text(stmt, idx, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
          },
          params[i]);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    Rows rows;
    const int ncol = sqlite3_column_count(stmt);
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, rc, "step");
      std::vector<Value> values;
      values.reserve(ncol);
      for (int c = 0; c < ncol; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER: values.emplace_back(int64_t{sqlite3_column_int64(stmt, c)}); break;
          case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
          case SQLITE_NULL: values.emplace_back(nullptr); break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            values.emplace_back(std::string(text, sqlite3_column_bytes(stmt, c)));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Result<int64_t> InsertReturningId(std::string_view sql, const std::vector<Value>& params) override {
    MADOGUCHI_RETURN_IF_ERROR(Query(sql, params).status());
    if (sqlite3_changes(db_) != 1) return InternalError("the insert wrote no row: " + std::string(sql), "database_error");
    return int64_t{sqlite3_last_insert_rowid(db_)};
  }

  Status ExecuteScript(std::string_view sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      Status s = SqliteError(db_, rc, "script");
      sqlite3_free(err);
      return s;
    }
    return Status::Ok();
  }

  Status Begin() override { return Simple("BEGIN IMMEDIATE"); }
  Status Commit() override { return Simple("COMMIT"); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_)) return Status::Ok();  // nothing open (e.g. rolled back by SQLite)
    return Simple("ROLLBACK");
  }
  Backend backend() const override { return Backend::kSqlite; }

 private:
  Status Simple(const char* sql) {
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? Status::Ok() : SqliteError(db_, rc, sql);
  }

  sqlite3* db_;
  // Prepared statements by their SQL, looked up without copying it.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const OpenOptions& options)
      : Database(Backend::kSqlite, "sqlite:" + path, options.max_connections), path_(std::move(path)), options_(options) {
    checkpointer_ = std::thread([this] { Checkpoint(); });
  }
  ~SqliteDatabase() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    checkpointer_.join();
  }

 protected:
  Result<std::unique_ptr<Connection>> OpenConnection() override {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      Status s = UnavailableError("cannot open " + path_ + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), "database_unavailable");
      sqlite3_close_v2(db);
      return s;
    }
    auto conn = std::make_unique<SqliteConnection>(db);
    sqlite3_busy_timeout(db, options_.busy_timeout_ms);
    // Checkpoints run on their own thread (below), not inside some writer's commit. The statement
    // and savepoint journals (every op of the writer's batch is a savepoint; a many-row insert has
    // a statement journal) stay in memory: in temporary files they cost a write system call per
    // page touched, about a quarter of the single writer's time (docs/benchmarks.md).
    std::string pragmas =
        "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0; PRAGMA temp_store=MEMORY; PRAGMA synchronous=";
    pragmas += options_.sqlite_synchronous_full ? "FULL;" : "NORMAL;";
    MADOGUCHI_RETURN_IF_ERROR(conn->ExecuteScript(pragmas));
    return std::unique_ptr<Connection>(std::move(conn));
  }

 private:
  // Copies the WAL back into the database file every 200 ms (PASSIVE: never waits for, or holds
  // up, readers and writers), so commits stay short and the WAL does not grow without bound.
  void Checkpoint() {
    sqlite3* db = nullptr;
    std::unique_lock lock(mu_);
    while (!stopping_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      if (stopping_) break;
      if (db == nullptr && sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(db);
        db = nullptr;
        continue;
      }
      lock.unlock();
      sqlite3_busy_timeout(db, 0);
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
    if (db != nullptr) sqlite3_close_v2(db);
  }

  std::string path_;
  OpenOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread checkpointer_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options) {
  // The file holds residents' personal data, LINE secrets and the key that signs cookies: the
  // folder is made 0700 and the file 0600 (SQLite gives its -wal and -shm files the file's mode).
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) return UnavailableError("cannot create directory " + parent.string() + ": " + ec.message());
    fs::permissions(parent, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return UnavailableError("cannot make " + parent.string() + " private (0700): " + ec.message());
  }
  if (path != ":memory:" && !path.starts_with("file:")) {
    if (!fs::exists(path, ec)) {
      const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
      if (fd < 0) return UnavailableError("cannot create " + path + ": " + std::strerror(errno));
      ::close(fd);
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
    if (ec) return UnavailableError("cannot make " + path + " private (0600): " + ec.message());
    for (const char* suffix : {"-wal", "-shm"}) {
      if (fs::exists(path + suffix, ec)) {
        fs::permissions(path + suffix, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
      }
    }
  }
  return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(path, options));
}

}  // namespace madoguchi::store::internal
