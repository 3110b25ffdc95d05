// src/app/worker.hpp — the delivery worker: claims due messages from the outbox, decides each by
// the messaging rules, sends it by SMS (Kannel), LINE or email (SMTP), and records what happened. Several
// workers (processes or threads) may run against one database: claims are leases.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "channels/kannel.hpp"
#include "channels/smtp.hpp"
#include "common/clock.hpp"
#include "messaging/pacing.hpp"
#include "store/database.hpp"

namespace madoguchi::app {

struct WorkerOptions {
  std::string name;                // this worker's id in leases; default host:pid
  channels::KannelOptions kannel;  // dlr_url is built from callback_url when empty
  channels::SmtpOptions smtp;      // url empty: nobody is reached by email (the next channel is used)
  std::string callback_url;        // where Kannel reaches the server: "http://127.0.0.1:8080"
  std::string public_url;          // where residents open links; empty: no link in messages
  std::string link_key;            // signs short links' codes; ResolveWorkerOptions derives it from the secret
  std::string bounce_domain;       // emails go out from bounce+<id>-<tag>@ this domain; empty: from the tenant's sender
  std::string bounce_key;          // tags those addresses; ResolveWorkerOptions derives it from the secret
  std::string bounce_maildir;      // a Maildir the mail server delivers that domain's mail to, read every 10 s; empty: none
  std::string line_api_base = "https://api.line.me";
  int senders = 2;                 // threads, each with its own claim and gateway connection
  int batch = 50;                  // messages a thread claims at once
  int lease_sec = 60;              // how long a claim holds before another worker may take it
  int poll_ms = 200;               // how long an idle thread waits before looking again
  messaging::PacingLimits pacing;  // the rates of every worker on the database together (0: none); the same for each
  int job_threads = 1;             // threads making long jobs (plans); 0: none in this process
};

// Counters since start (all threads).
struct WorkerCounters {
  std::atomic<int64_t> sent{0}, retried{0}, deferred{0}, failed{0}, expired{0}, suppressed{0}, lost_leases{0}, reclaimed{0};
  std::atomic<int64_t> paced{0};            // held back by a rate (queued again for a later slot, no attempt counted)
  std::atomic<int64_t> line_multicasts{0};  // LINE calls that carried one message to several users
};

// Runs until `stop` is set; returns an error only for what stops every thread (a database that
// cannot be reached is retried). `signing_secret` keys the delivery-report URL.
Status RunWorker(store::Database& db, const Clock& clock, const WorkerOptions& options, const std::string& signing_secret,
                 std::atomic<bool>& stop, WorkerCounters& counters);

// One pass of one thread: reclaim expired leases, claim a batch, deliver it. Returns how many it
// claimed. (RunWorker's loop; tests call it to deliver what is due now.)
Result<int> DeliverBatch(store::Database& db, const Clock& clock, const WorkerOptions& options, channels::KannelClient& sms,
                         WorkerCounters& counters);

// The options with the delivery-report URL filled in from the callback URL and the secret.
// Errors: kInvalidArgument naming the option.
Result<WorkerOptions> ResolveWorkerOptions(WorkerOptions options, const std::string& signing_secret);

// `threads` threads that run long jobs (web::RunNextJob: plans) until `stop` is set; `name`
// names this process in the jobs' leases (empty: host:pid). A job under way is finished before
// its thread stops. Returns when every thread has stopped.
void RunJobThreads(store::Database& db, const Clock& clock, const std::string& name, int threads, std::atomic<bool>& stop);

// `madoguchi worker`: open the database (no migration: serve migrates), run until SIGTERM/SIGINT.
int Worker(const std::string& db, WorkerOptions options);

}  // namespace madoguchi::app
