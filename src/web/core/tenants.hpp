// src/web/core/tenants.hpp — the municipalities a request names, and their booking rules, as this
// process has read them.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "booking/booking.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"

namespace madoguchi::web {

class Tenants {
 public:
  // `db` and `clock` outlive the Tenants.
  Tenants(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The municipality exists (looked up once per process; municipalities are not deleted).
  // Errors: kNotFound tenant_not_found; the database's.
  Status RequireExists(const std::string& tenant);
  // Its name, once RequireExists has found it (the code until then).
  std::string Name(const std::string& tenant);
  // The rules every booking is checked against, read at most once a second per tenant.
  // Errors: ReadRules's.
  Result<booking::Rules> Rules(store::Connection& conn, const std::string& tenant);
  // The stored rules (the defaults when none are stored). Errors: kInternal bad_stored_rules when
  // they do not parse (never the defaults in their place); the database's.
  Result<booking::Rules> ReadRules(store::Connection& conn, const std::string& tenant);
  // After a change: this process reads the rules again at once (others within a second).
  void ForgetRules(const std::string& tenant);

 private:
  store::Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::string> names_;
  std::map<std::string, std::pair<int64_t, booking::Rules>> rules_;  // tenant → (read at, rules)
};

}  // namespace madoguchi::web
