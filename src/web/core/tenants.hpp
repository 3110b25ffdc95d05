// src/web/core/tenants.hpp — the municipalities a request names, as this process has read them.
// (Their booking rules are the booking core's: booking::BookingService::RulesOf.)
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "store/database.hpp"

namespace madoguchi::web {

class Tenants {
 public:
  // `db` outlives the Tenants.
  explicit Tenants(store::Database& db) : db_(db) {}

  // The municipality exists (looked up once per process; municipalities are not deleted).
  // Errors: kNotFound tenant_not_found; the database's.
  Status RequireExists(const std::string& tenant);
  // Its name, once RequireExists has found it (the code until then).
  std::string Name(const std::string& tenant);

 private:
  store::Database& db_;
  std::mutex mu_;
  std::map<std::string, std::string> names_;
};

}  // namespace madoguchi::web
