// src/web/jobs/job_pages.hpp — a long job as the one who started it watches it: the page refreshes
// itself (no JavaScript) with how far it has come, goes on to what it made when it is done, and
// says why when it failed, with a way back to the form; the API answers the same as JSON.
#pragma once

#include "common/clock.hpp"
#include "store/database.hpp"
#include "web/core/routes.hpp"

namespace madoguchi::web {

class JobHandlers {
 public:
  JobHandlers(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  static void Register(Router& router, JobHandlers* self);

  HttpResponse PageJob(RequestContext& ctx);
  HttpResponse ApiJob(RequestContext& ctx);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace madoguchi::web
