// src/store/batch_writer.hpp — group commit: many small writes, one transaction (one fsync) per
// batch, every caller answered only after its batch is durable.
//
// Run(op) queues `op` and blocks until the transaction that ran it has committed. Inside the
// transaction each op runs between SAVEPOINT and RELEASE: an op that returns an error has its own
// changes rolled back and gets its error; the others commit. If the commit itself fails, every op
// of the batch gets that error (nothing of it was stored). A serialization failure or deadlock
// (kConflict, PostgreSQL) re-runs the whole batch, up to 5 times, so ops must be safe to re-run.
//
// SQLite has one writer at a time: one worker. PostgreSQL takes concurrent writers: several.
#pragma once

#include <functional>
#include <memory>

#include "store/database.hpp"

namespace madoguchi::store {

struct BatchWriterOptions {
  int workers = 1;      // threads, each with its own connection and batches
  int max_batch = 256;  // ops per transaction at most
};

class BatchWriter {
 public:
  BatchWriter(Database& db, BatchWriterOptions options);
  ~BatchWriter();  // runs what is queued, then stops
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Runs `op` in a batch; returns its Status once the batch has committed. Within a batch, ops
  // run in ascending `order` (then arrival): ops that lock rows by that key (a slot id) take
  // their locks in one order in every transaction, so concurrent batches (PostgreSQL, several
  // workers or processes) do not deadlock on them.
  Status Run(std::function<Status(Connection&)> op, int64_t order = 0);
  // Queues `op` for the next batch and returns at once; `done` is told its result after the
  // commit (on the writer's thread: keep it short). For writes nobody waits on or is told of,
  // such as moving the waiting room's line on; never for anything acknowledged to a person.
  void Post(std::function<Status(Connection&)> op, std::function<void(const Status&)> done);

  // Counters, for tests and benchmarks.
  int64_t batches() const;
  int64_t ops() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One writer per database that suits its backend.
BatchWriterOptions DefaultBatchWriterOptions(const Database& db);

}  // namespace madoguchi::store
