#include "store/database.hpp"

#include <condition_variable>
#include <mutex>

#include "store/internal/backends.hpp"

namespace madoguchi::store {

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtoll(p->c_str(), nullptr, 10);
  return 0;
}

double Row::Double(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0.0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  return {};
}

struct Database::Pool {
  std::mutex mu;
  std::condition_variable returned;
  std::vector<std::unique_ptr<Connection>> idle;  // guarded by mu
  int open = 0;                                   // guarded by mu: idle + borrowed
  int max_open = 1;
};

Database::Database(Backend backend, std::string display_url, int max_connections)
    : backend_(backend), display_url_(std::move(display_url)), pool_(std::make_unique<Pool>()) {
  pool_->max_open = max_connections < 1 ? 1 : max_connections;
}

Database::~Database() = default;

Result<ConnectionHandle> Database::Acquire() {
  {
    std::unique_lock lock(pool_->mu);
    pool_->returned.wait(lock, [&] { return !pool_->idle.empty() || pool_->open < pool_->max_open; });
    if (!pool_->idle.empty()) {
      auto conn = std::move(pool_->idle.back());
      pool_->idle.pop_back();
      return ConnectionHandle(this, std::move(conn));
    }
    ++pool_->open;  // reserve the slot, open outside the lock
  }
  auto opened = OpenConnection();
  if (!opened.ok()) {
    std::lock_guard lock(pool_->mu);
    --pool_->open;
    pool_->returned.notify_one();
    return opened.status();
  }
  return ConnectionHandle(this, std::move(opened).value());
}

void Database::Return(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(pool_->mu);
  if (conn) {
    pool_->idle.push_back(std::move(conn));
  } else {
    --pool_->open;
  }
  pool_->returned.notify_one();
}

void Database::CloseIdle() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(pool_->mu);
    closing.swap(pool_->idle);
    pool_->open -= static_cast<int>(closing.size());
  }
}

ConnectionHandle::~ConnectionHandle() {
  if (owner_ != nullptr) owner_->Return(std::move(conn_));
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, const OpenOptions& options) {
  std::unique_ptr<Database> db;
  if (url.starts_with("sqlite:")) {
    std::string path(url.substr(7));
    if (path.starts_with("//")) path = path.substr(2);  // accept sqlite:///abs/path too
    if (path.empty()) return InvalidArgumentError("db", "sqlite: needs a file path, e.g. sqlite:data/madoguchi.db");
    MADOGUCHI_ASSIGN_OR_RETURN(db, internal::OpenSqlite(path, options));
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    MADOGUCHI_ASSIGN_OR_RETURN(db, internal::OpenPostgres(std::string(url), options));
  } else {
    return InvalidArgumentError("db", "use sqlite:PATH or postgresql://USER@HOST:PORT/DBNAME");
  }
  auto probe = db->Acquire();  // fail at start, not at the first request
  if (!probe.ok()) return probe.status();
  return db;
}

Status WithConnection(Database& db, const std::function<Status(Connection&)>& fn) {
  MADOGUCHI_ASSIGN_OR_RETURN(ConnectionHandle conn, db.Acquire());
  return fn(*conn);
}

Status InTransaction(Database& db, const std::function<Status(Connection&)>& fn) {
  constexpr int kAttempts = 5;
  Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    MADOGUCHI_ASSIGN_OR_RETURN(ConnectionHandle conn, db.Acquire());
    Status begun = conn->Begin();
    if (!begun.ok()) {
      conn.Discard();
      if (begun.code() == StatusCode::kConflict) {
        last = begun;
        continue;
      }
      return begun;
    }
    Status result = fn(*conn);
    if (result.ok()) result = conn->Commit();
    if (result.ok()) return result;
    if (!conn->Rollback().ok()) conn.Discard();
    if (result.code() != StatusCode::kConflict) return result;
    last = result;
  }
  return last;
}

}  // namespace madoguchi::store
