// src/app/commands.hpp — the subcommands of build/madoguchi. Each returns the process exit
// code: 0 success, 2 invalid input (one line on stderr naming the argument), 1 other failure.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "app/worker.hpp"
#include "web/http/server.hpp"

namespace madoguchi::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct ServeOptions {
  std::string db;
  std::string listen = "127.0.0.1:8080";
  web::ServerSettings server;
  bool secure_cookies = false;
  std::string staff_listen;  // optional second listener (own thread pool) for staff and LINE
  int admission_max_in_flight = 128;
  int db_connections = 64;  // pooled connections (readers; SQLite has one writer anyway)
  std::string line_api_base = "https://api.line.me";
  std::vector<std::string> trusted_proxies;  // CIDRs whose X-Forwarded-For is believed
  int staff_lookups_per_hour = 300;          // residents a staff member may look up in an hour
  bool run_worker = false;                   // --worker: deliver the outbox in this process too
  WorkerOptions worker;                      // its options (callback_url defaults to --listen)
  std::string kannel_admin_url;              // bearerbox's admin port, shown on the status page
  std::string kannel_admin_password;
  std::string files_dir;  // residents' photos; empty: beside a SQLite database ("<dir>/files"), none on PostgreSQL
};

int Serve(const ServeOptions& options);
int Migrate(const std::string& db);
int TenantAdd(const std::string& db, const std::string& code, const std::string& name);
int TenantList(const std::string& db);
int BookingsCheck(const std::string& db, const std::string& tenant, const std::string& codes_file);
int VrsExport(const std::string& db, const std::string& tenant, const std::string& encoding, const std::string& out);
int VrsImport(const std::string& db, const std::string& tenant, const std::string& file);
int ResidentsImport(const std::string& db, const std::string& tenant, const std::string& file);
int UserAdd(const std::string& db, const std::string& login, const std::string& role, const std::string& tenants,
            const std::string& display_name);
int UserList(const std::string& db, const std::string& tenant);
int UserPasswd(const std::string& db, const std::string& login);
int TokenAdd(const std::string& db, const std::string& login, const std::string& name, int64_t expires_days, const std::string& scope);
int UserDisable(const std::string& db, const std::string& login, bool disabled);
// Prints the platform's security log (entries without a municipality), newest first, as TSV.
int AuditSecurity(const std::string& db, int limit);
int Demo(const std::string& db, const std::string& credentials_file);
int Routes();

struct CampaignSendOptions {
  std::string db, tenant, name, text, text_file, csv, at;
  std::string segment;  // instead of --csv: booked_on:YYYY-MM-DD or not_booked
  bool dry_run = false;
};
// `campaign send`: checks every recipient row (problems on stderr, exit 2, nothing queued), then
// queues one SMS per recipient; prints {id, recipients, parts, cost_yen, sample, starts_at}.
int CampaignSend(const CampaignSendOptions& o);
// `campaign status|pause|resume|cancel`: the campaign's counts as JSON, after the action if any.
int CampaignShow(const std::string& db, const std::string& tenant, int64_t id, const std::string& action);
// `sms parts --text T`: {"encoding","units","parts"} on stdout; exit 2 for text that is not UTF-8.
int SmsParts(const std::string& text);
// `sms hooks --callback-url U`: the delivery-report URL Kannel is given, with its key.
int SmsHooks(const std::string& db, const std::string& callback_url);
// `kit read FILE…`: one JSON line per photo ({file, category, control_line, test_line,
// test_line_seen, template, edge_blur, glare_share, ms}, or {file, error: {key, message}} for a
// file that cannot be read or is no photo); exit 1 when any could not be read.
int KitRead(const std::vector<std::string>& files);
// `triage defaults`: the default triage rule set in its file format (docs/care.md).
int TriageDefaults();
// Deletes the residents' photos whose retention has run out (what serve does every 10 minutes),
// printing how many. For a cron job where no server runs.
int CareSweep(const std::string& db, const std::string& files_dir);
// `madoguchi care round`: one round of the daily health observation now (check-ins due, reminders,
// missed check-ins onto the call list, episodes ended); prints the counts as JSON.
int CareRound(const std::string& db);
// Shows and (with any change given) saves a tenant's home-care settings: the check-in's time
// ("HH:MM"; empty: unchanged), its deadlines in minutes after it (0: unchanged), the triage rule
// file and the registration rules file (formats/care_rules.hpp; empty: unchanged). Prints the
// settings as JSON, the registration rules in full (a file to edit and give back with --rules).
struct CareSettingsOptions {
  std::string tenant, check_in, triage_file, rules_file;
  int remind_after = 0, call_after = 0;
};
int CareSettingsCommand(const std::string& db, const CareSettingsOptions& o);
// Rounds every `every` until `stop` (serve and worker run one; any number may run at once).
void RunCareRounds(store::Database& db, const Clock& clock, const std::string& secret, std::chrono::milliseconds every,
                   std::atomic<bool>& stop);
// Runs the sweep every `every` until `stop` (serve's thread; a failed sweep is logged and retried).
void RunPhotoSweeps(store::Database& db, const Clock& clock, const std::string& files_dir, std::chrono::milliseconds every,
                    std::atomic<bool>& stop);

}  // namespace madoguchi::app
