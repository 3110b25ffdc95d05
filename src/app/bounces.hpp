// src/app/bounces.hpp — the bounce mailbox: delivery status notifications that come back to the
// envelope senders the worker writes (bounce+<id>-<tag>@<bounce domain>), read from a Maildir
// the mail server delivers them to, or from standard input when the mail server pipes each one
// to `madoguchi mail bounce` (Postfix's pipe(8), an aliases "|command" line).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "common/status.hpp"
#include "store/database.hpp"

namespace madoguchi::app {

struct BounceCounts {
  int64_t read = 0;
  int64_t failed = 0;       // emails failed by a report (their address suppressed when it does not exist)
  int64_t suppressed = 0;   // addresses put on a suppression list
  int64_t delayed = 0;      // a delay noted
  int64_t delivered = 0;    // a success report
  int64_t unchanged = 0;    // a report repeated, or for a message already settled
  int64_t unmatched = 0;    // for no email we sent (no bounce address with a right tag; an unknown id)
  int64_t not_reports = 0;  // to one of ours but no delivery status (an auto-reply), or not a message
};

// Reads one message and applies it. A message this cannot use is counted (unmatched,
// not_reports), never an error. Errors: the database's (nothing changed; try again later).
Status ApplyBounce(store::Database& db, const Clock& clock, const std::string& bounce_key, const std::string& raw, BounceCounts& counts);

// Every message in `maildir`/new: applied, then deleted (what it said is on the message); one
// this could not use is moved to cur/ for the postmaster. Errors: kFailedPrecondition
// "no_maildir" when new/ cannot be read; the database's (the message stays in new/).
Result<BounceCounts> ApplyBounceMaildir(store::Database& db, const Clock& clock, const std::string& bounce_key, const std::string& maildir);

// ApplyBounceMaildir every `every` until `stop` (the worker's --bounce-maildir).
void RunBounceScans(store::Database& db, const Clock& clock, const std::string& bounce_key, const std::string& maildir,
                    std::chrono::milliseconds every, std::atomic<bool>& stop);

// `madoguchi mail bounce --db DB (--maildir DIR | one message on stdin)`: prints the counts as
// JSON. Exit 0 when every message was read (used or not); 75 (EX_TEMPFAIL, so the mail server
// keeps it and tries again) when the database could not be reached.
int MailBounce(const std::string& db, const std::string& maildir);

}  // namespace madoguchi::app
