// src/store/outbox/send_buckets.hpp — where the workers' shared send rates are kept: a row of
// `send_buckets` each, locked while a worker draws tokens from it (FOR UPDATE on PostgreSQL; on
// SQLite the transaction holds the database).
#pragma once

#include <functional>
#include <string>

#include "messaging/pacing.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

class SqlBuckets final : public messaging::BucketPort {
 public:
  explicit SqlBuckets(Database& db) : db_(db) {}
  // One transaction. Errors: the database's (the bucket is as it was).
  Status Draw(const std::string& name, const std::function<void(messaging::BucketState&)>& draw) override;

 private:
  Database& db_;
};

// The bucket as it is now, for a status page or a test (exists false when nobody drew from it).
// Errors: the database's.
Result<messaging::BucketState> ReadBucket(Connection& conn, const std::string& name);

}  // namespace madoguchi::store
