#include "store/batch_writer.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace madoguchi::store {

struct BatchWriter::Impl {
  struct Pending {
    std::function<Status(Connection&)> op;
    int64_t order = 0;
    std::function<void(const Status&)> done;  // told the op's result once its batch has committed
  };

  Database& db;
  BatchWriterOptions options;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Pending> queue;
  bool stopping = false;
  std::vector<std::thread> threads;
  std::atomic<int64_t> batches{0}, ops{0};

  Impl(Database& d, BatchWriterOptions o) : db(d), options(o) {}

  void Work() {
    for (;;) {
      std::vector<Pending> batch;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping and drained
        while (!queue.empty() && static_cast<int>(batch.size()) < options.max_batch) {
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      std::stable_sort(batch.begin(), batch.end(), [](const Pending& a, const Pending& b) { return a.order < b.order; });
      std::vector<Status> results = RunBatch(batch);
      batches.fetch_add(1, std::memory_order_relaxed);
      ops.fetch_add(static_cast<int64_t>(batch.size()), std::memory_order_relaxed);
      for (size_t i = 0; i < batch.size(); ++i) batch[i].done(results[i]);
    }
  }

  std::vector<Status> RunBatch(std::vector<Pending>& batch) {
    Status last;
    for (int attempt = 0; attempt < 5; ++attempt) {
      std::vector<Status> results(batch.size());
      Status s = Attempt(batch, results);
      if (s.ok()) return results;
      last = s;
      if (s.code() != StatusCode::kConflict) break;
    }
    return std::vector<Status>(batch.size(), last);
  }

  // One transaction over the batch; the per-op results, or the error that sank the batch.
  Status Attempt(std::vector<Pending>& batch, std::vector<Status>& results) {
    MADOGUCHI_ASSIGN_OR_RETURN(ConnectionHandle conn, db.Acquire());
    Status s = conn->Begin();
    if (!s.ok()) {
      conn.Discard();
      return s;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      s = conn->Query("SAVEPOINT op").status();
      if (s.ok()) {
        Status r = batch[i].op(*conn);
        if (r.code() == StatusCode::kConflict) s = r;  // the transaction is doomed: re-run the batch
        else if (r.ok()) s = conn->Query("RELEASE SAVEPOINT op").status();
        else s = conn->Query("ROLLBACK TO SAVEPOINT op").status(), s = s.ok() ? conn->Query("RELEASE SAVEPOINT op").status() : s;
        results[i] = r;
      }
      if (!s.ok()) {
        (void)conn->Rollback();
        return s;
      }
    }
    s = conn->Commit();
    if (!s.ok()) {
      (void)conn->Rollback();
      return s;
    }
    return Status::Ok();
  }
};

BatchWriter::BatchWriter(Database& db, BatchWriterOptions options) : impl_(std::make_unique<Impl>(db, options)) {
  for (int i = 0; i < std::max(1, options.workers); ++i) impl_->threads.emplace_back([this] { impl_->Work(); });
}

BatchWriter::~BatchWriter() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  for (auto& t : impl_->threads) t.join();
}

Status BatchWriter::Run(std::function<Status(Connection&)> op, int64_t order) {
  std::promise<Status> result;  // outlives the op's batch: this call waits for it
  std::future<Status> done = result.get_future();
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return UnavailableError("shutting down", "shutting_down");
    impl_->queue.push_back({std::move(op), order, [&result](const Status& s) { result.set_value(s); }});
  }
  impl_->cv.notify_one();
  return done.get();
}

void BatchWriter::Post(std::function<Status(Connection&)> op, std::function<void(const Status&)> done) {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) {
      done(UnavailableError("shutting down", "shutting_down"));
      return;
    }
    impl_->queue.push_back({std::move(op), 0, std::move(done)});
  }
  impl_->cv.notify_one();
}

int64_t BatchWriter::batches() const { return impl_->batches.load(); }
int64_t BatchWriter::ops() const { return impl_->ops.load(); }

BatchWriterOptions DefaultBatchWriterOptions(const Database& db) {
  BatchWriterOptions o;
  o.workers = db.backend() == Backend::kSqlite ? 1 : 4;
  return o;
}

}  // namespace madoguchi::store
