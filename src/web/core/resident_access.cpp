#include "web/core/resident_access.hpp"

#include <chrono>

#include "common/time_format.hpp"
#include "store/accounts/accounts.hpp"
#include "store/audit/audit_log.hpp"
#include "web/core/sessions.hpp"

namespace madoguchi::web {

// Ticket and birth date against the target list, before any slot is touched. A ticket that is not
// listed and a wrong birth date get the same answer; repeated failures from one address or for
// one ticket are throttled.
Result<booking::ResidentRecord> ResidentAccess::Verify(const RequestContext& ctx, const std::string& ticket, const std::string& birth_text,
                                                       const std::string& source) {
  MADOGUCHI_RETURN_IF_ERROR(booking::ValidateTicketNumber(ticket));
  const int64_t now = clock_.NowMs();
  const booking::Day today = JapanDay(now);
  MADOGUCHI_ASSIGN_OR_RETURN(booking::Day birth, booking::ReadTypedBirthDate(birth_text, today));
  const int64_t window_start = now - std::chrono::milliseconds(settings_.throttle.window).count();
  const std::string subject = ctx.tenant + ":" + ticket;
  const std::string& from = source.empty() ? ctx.ClientAddress() : source;
  // A right answer costs one read: the counters and the resident together. A wrong one is
  // recorded under the ticket's lock after counting again, so however many arrive at once, at
  // most the limit are answered "does not match"; the rest, and a right answer after them, hear
  // "throttled" (docs/security.md).
  std::optional<booking::ResidentRecord> found;
  std::optional<accounts::ThrottleDecision> throttled;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto read, store::FindResidentWithGuesses(conn, ctx.tenant, ticket, subject, from, window_start));
    throttled = accounts::Throttle(settings_.throttle, read.counts, now);
    found = std::move(read.resident);
    return Status::Ok();
  }));
  if (throttled) return ThrottledError(*throttled);
  if (found && found->r.birth_date == birth) return *found;
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    throttled.reset();
    MADOGUCHI_RETURN_IF_ERROR(store::LockGuessSubject(conn, "resident", subject));
    MADOGUCHI_ASSIGN_OR_RETURN(auto counts, store::CountGuessFailures(conn, "resident", subject, from, window_start));
    throttled = accounts::Throttle(settings_.throttle, counts, now);
    if (throttled) return Status::Ok();
    return store::RecordGuessFailure(conn, "resident", subject, from, now, window_start).status();
  }));
  if (throttled) return ThrottledError(*throttled);
  return PermissionDeniedError("the ticket number and birth date do not match our list", "ticket_mismatch");
}

Status ResidentAccess::CheckLookupBudget(store::Connection& conn, const RequestContext& ctx) {
  const int64_t since = clock_.NowMs() - 3'600'000;
  MADOGUCHI_ASSIGN_OR_RETURN(int64_t n,
                             store::CountActorActions(conn, ctx.principal->user_id, {"resident.search", "resident.read"}, since));
  if (n >= settings_.staff_lookups_per_hour) {
    return ResourceExhaustedError(
        "more than " + std::to_string(settings_.staff_lookups_per_hour) + " look-ups of residents in an hour; ask a supervisor",
        "lookups_throttled");
  }
  return Status::Ok();
}

store::SlotFilter BookableSlots(int64_t now_ms, int limit, std::optional<int64_t> venue, std::optional<booking::Day> day) {
  store::SlotFilter f;
  f.venue_id = venue;
  f.day = day;
  f.after_ms = now_ms;
  f.only_with_seats = true;
  f.limit = limit;
  return f;
}

}  // namespace madoguchi::web
