// src/web/core/tenants.hpp — the municipalities a request names and what each tells its
// residents, as this process has read them. (Their booking rules are the booking core's:
// booking::BookingService::RulesOf.)
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
  // The window's phone and hours and the day's instructions, read at most once a second per
  // municipality (every residents' page shows them). Errors: the database's.
  Result<booking::Guidance> Guidance(const std::string& tenant);
  // After a change: this process reads the guidance again at once (others within a second).
  void ForgetGuidance(const std::string& tenant);

 private:
  store::Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::string> names_;
  std::map<std::string, std::pair<int64_t, booking::Guidance>> guidance_;  // tenant → (read at, guidance)
};

}  // namespace madoguchi::web
