// src/web/core/resident_access.hpp — who reaches a resident's record: the resident, by ticket
// number and birth date against the target list (throttled), and staff, within their hourly
// budget of look-ups.
#pragma once

#include <optional>
#include <string>

#include "booking/service.hpp"
#include "common/clock.hpp"
#include "store/booking/bookings.hpp"
#include "store/database.hpp"
#include "web/core/context.hpp"

namespace madoguchi::web {

class ResidentAccess {
 public:
  // `db`, `clock` and `settings` outlive the ResidentAccess.
  ResidentAccess(store::Database& db, const Clock& clock, const WebSettings& settings) : db_(db), clock_(clock), settings_(settings) {}

  // The resident holding `ticket` with this birth date, before any slot is touched. A ticket not
  // on the list and a wrong birth date get the same answer (kPermissionDenied ticket_mismatch);
  // repeated failures per ticket and per `source` (the client address when empty; LINE passes
  // "line:" and the user id) are throttled (ThrottledError). Errors: the ticket's and the birth
  // date's (kInvalidArgument); the database's.
  Result<booking::ResidentRecord> Verify(const RequestContext& ctx, const std::string& ticket, const std::string& birth_text,
                                         const std::string& source = "");
  // kResourceExhausted "lookups_throttled" once the staff member has looked up residents
  // settings.staff_lookups_per_hour times in the last hour (counted from the audit log).
  Status CheckLookupBudget(store::Connection& conn, const RequestContext& ctx);

 private:
  store::Database& db_;
  const Clock& clock_;
  const WebSettings& settings_;
};

// The slots a caller can still book — starting after `now_ms`, with a seat free — as every
// channel offers them.
store::SlotFilter BookableSlots(int64_t now_ms, int limit, std::optional<int64_t> venue = std::nullopt,
                                std::optional<booking::Day> day = std::nullopt);

}  // namespace madoguchi::web
