#include "app/cli_setup.hpp"

#include <cstdlib>
#include <memory>

#include "app/bounces.hpp"
#include "app/commands.hpp"
#include "app/forecast_command.hpp"
#include "app/plan_command.hpp"
#include "app/queueing_commands.hpp"
#include "app/sim_command.hpp"

namespace madoguchi::app {
namespace {

std::string DefaultDb() {
  const char* env = std::getenv("MADOGUCHI_DB");
  return env && *env ? env : "sqlite:data/madoguchi.db";
}

void AddDbOption(CLI::App* cmd, std::string& db) {
  cmd->add_option("--db", db, "sqlite:PATH or postgresql://USER@HOST:PORT/DB (env MADOGUCHI_DB)")->capture_default_str();
}

// The delivery worker's options, on `worker` and on `serve --worker`.
void AddWorkerOptions(CLI::App* cmd, WorkerOptions& w) {
  cmd->add_option("--kannel-url", w.kannel.sendsms_url,
                  "Kannel smsbox sendsms URL, e.g. http://127.0.0.1:13013/cgi-bin/sendsms (env MADOGUCHI_KANNEL_URL)")
      ->envname("MADOGUCHI_KANNEL_URL");
  cmd->add_option("--kannel-user", w.kannel.username, "sendsms-user username (env MADOGUCHI_KANNEL_USER)")
      ->envname("MADOGUCHI_KANNEL_USER");
  cmd->add_option("--kannel-pass", w.kannel.password, "sendsms-user password (env MADOGUCHI_KANNEL_PASS; prefer the environment)")
      ->envname("MADOGUCHI_KANNEL_PASS");
  cmd->add_option("--smsc", w.kannel.smsc_id, "route SMS to this smsc-id");
  cmd->add_option("--callback-url", w.callback_url,
                  "where Kannel reaches this server's hooks, e.g. http://127.0.0.1:8080 (env MADOGUCHI_CALLBACK_URL)")
      ->envname("MADOGUCHI_CALLBACK_URL");
  cmd->add_option("--public-url", w.public_url,
                  "where residents open links in messages, e.g. https://yoyaku.example.lg.jp (env MADOGUCHI_PUBLIC_URL)")
      ->envname("MADOGUCHI_PUBLIC_URL");
  cmd->add_option("--smtp-url", w.smtp.url,
                  "SMTP server for email, e.g. smtp://relay.example.lg.jp:587 or smtps://…:465; none: no email (env MADOGUCHI_SMTP_URL)")
      ->envname("MADOGUCHI_SMTP_URL");
  cmd->add_option("--smtp-user", w.smtp.username, "SMTP login (env MADOGUCHI_SMTP_USER)")->envname("MADOGUCHI_SMTP_USER");
  cmd->add_option("--smtp-pass", w.smtp.password, "SMTP password (env MADOGUCHI_SMTP_PASS; prefer the environment)")
      ->envname("MADOGUCHI_SMTP_PASS");
  cmd->add_flag("--smtp-require-tls", w.smtp.require_tls, "with smtp://, send nothing unless STARTTLS succeeds");
  cmd->add_option("--bounce-domain", w.bounce_domain,
                  "send email from bounce+ID-TAG@ this domain, so undelivered mail names its message (env MADOGUCHI_BOUNCE_DOMAIN)")
      ->envname("MADOGUCHI_BOUNCE_DOMAIN");
  cmd->add_option("--bounce-maildir", w.bounce_maildir,
                  "the Maildir that domain's mail is delivered to: read every 10 s, bounces applied (env MADOGUCHI_BOUNCE_MAILDIR)")
      ->envname("MADOGUCHI_BOUNCE_MAILDIR");
  cmd->add_option("--name", w.name, "this worker's name in leases and logs (default HOST:PID)");
  cmd->add_option("--senders", w.senders, "sending threads (each waits for the gateway's answer: 16 for a large campaign)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--batch", w.batch, "messages a thread claims at once")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option(
         "--sms-per-second", w.pacing.sms_per_second,
         "at most this many SMS a second from every worker on the database together (the aggregator's limit; give each worker the same); 0: none")
      ->capture_default_str();
  cmd->add_option("--email-per-second", w.pacing.email_per_second, "at most this many emails a second, every worker together; 0: none")
      ->capture_default_str();
  cmd->add_option("--line-per-second", w.pacing.line_per_second, "at most this many LINE pushes a second, every worker together; 0: none")
      ->capture_default_str();
  cmd->add_option(
         "--tenant-campaign-per-second", w.pacing.tenant_campaign_per_second,
         "at most this many campaign messages a second for each tenant, every worker together (booking notices are not held); 0: none")
      ->capture_default_str();
  cmd->add_option("--job-threads", w.job_threads, "threads that make plans (long jobs) in this process; 0: none here")
      ->check(CLI::Range(0, 16))
      ->capture_default_str();
  cmd->add_option("--lease-sec", w.lease_sec, "seconds a claim holds before another worker may take it")
      ->check(CLI::Range(5, 3600))
      ->capture_default_str();
}

}  // namespace

void DefineCommands(CLI::App& cli, CommandLine& out) {
  // Options live as long as the App; a shared struct keeps them alive for the callbacks.
  struct Values {
    std::string db = DefaultDb();
    ServeOptions serve;
    std::string code, name, login, role, tenant, display_name, credentials = "data/demo-accounts.txt", file;
    int max_body_mb = 32;  // two photos of up to 15 MB each in one home-test application
    int64_t expires_days = 90;
    int limit = 100;
    std::string scope = "full";
    WorkerOptions worker;
    std::string text;
    std::vector<std::string> files;
    CampaignSendOptions campaign;
    int64_t campaign_id = 0;
    CareSettingsOptions care_settings;
  };
  auto v = std::make_shared<Values>();
  auto set = [&out](std::function<int()> fn) { out.run = std::move(fn); };

  auto* serve = cli.add_subcommand("serve", "run the HTTP server (pages and /api/v1)");
  AddDbOption(serve, v->db);
  serve->add_option("--listen", v->serve.listen, "HOST:PORT to listen on (env MADOGUCHI_LISTEN)")
      ->envname("MADOGUCHI_LISTEN")
      ->capture_default_str();
  serve
      ->add_option("--threads", v->serve.server.threads,
                   "handler threads: requests handled at once (open connections hold none; "
                   "at least --admission-concurrency + 16 are started)")
      ->check(CLI::Range(2, 4096))
      ->capture_default_str();
  serve->add_option("--io-threads", v->serve.server.io_threads, "threads reading and writing sockets")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve->add_option("--max-body-mb", v->max_body_mb, "largest request body accepted, in MiB")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve->add_option("--tls-cert", v->serve.server.tls_cert_file, "PEM certificate: serve HTTPS")->check(CLI::ExistingFile);
  serve->add_option("--tls-key", v->serve.server.tls_key_file, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  serve->add_flag("--secure-cookies", v->serve.secure_cookies, "mark cookies Secure (behind a TLS proxy)");
  serve->add_option("--staff-listen", v->serve.staff_listen,
                    "a second HOST:PORT with its own threads for staff and LINE (a resident flood cannot starve it)");
  serve->add_option("--db-connections", v->serve.db_connections, "database connections in the pool")
      ->check(CLI::Range(2, 1000))
      ->capture_default_str();
  serve->add_option("--line-api-base", v->serve.line_api_base, "LINE Messaging API base URL (env MADOGUCHI_LINE_API)")
      ->envname("MADOGUCHI_LINE_API")
      ->capture_default_str();
  serve->add_option("--trusted-proxy", v->serve.trusted_proxies,
                    "a reverse proxy (address or CIDR, repeatable) whose X-Forwarded-For names the client; "
                    "from any other peer the header is ignored");
  serve
      ->add_option("--staff-lookups-per-hour", v->serve.staff_lookups_per_hour,
                   "searches and opened records of residents one staff member may make in an hour")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  serve
      ->add_option("--admission-concurrency", v->serve.admission_max_in_flight,
                   "residents' booking requests served at once; more wait in line (the waiting room)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve
      ->add_option("--files", v->serve.files_dir,
                   "folder for residents' photos, shared by every serve process (env MADOGUCHI_FILES; default: files/ beside a SQLite "
                   "database; required on PostgreSQL for photo uploads)")
      ->envname("MADOGUCHI_FILES");
  serve->add_flag("--worker", v->serve.run_worker, "also deliver the outbox in this process (a single-machine city)");
  AddWorkerOptions(serve, v->serve.worker);
  serve
      ->add_option("--kannel-admin-url", v->serve.kannel_admin_url,
                   "bearerbox's admin port for the status page, e.g. http://127.0.0.1:13000 (env MADOGUCHI_KANNEL_ADMIN_URL)")
      ->envname("MADOGUCHI_KANNEL_ADMIN_URL");
  serve
      ->add_option("--kannel-admin-pass", v->serve.kannel_admin_password,
                   "bearerbox's admin-password (env MADOGUCHI_KANNEL_ADMIN_PASS; prefer the environment)")
      ->envname("MADOGUCHI_KANNEL_ADMIN_PASS");
  serve->callback([v, set] {
    v->serve.db = v->db;
    v->serve.server.max_body_bytes = static_cast<size_t>(v->max_body_mb) << 20;
    set([v] { return Serve(v->serve); });
  });

  auto* worker = cli.add_subcommand("worker", "deliver the outbox (SMS through Kannel, LINE, email) and make queued plans (until SIGTERM)");
  AddDbOption(worker, v->db);
  AddWorkerOptions(worker, v->worker);
  worker->add_option("--line-api-base", v->worker.line_api_base, "LINE Messaging API base URL (env MADOGUCHI_LINE_API)")
      ->envname("MADOGUCHI_LINE_API")
      ->capture_default_str();
  worker->callback([v, set] { set([v] { return Worker(v->db, v->worker); }); });

  auto* sms = cli.add_subcommand("sms", "SMS tools");
  sms->require_subcommand(1);
  auto* sms_parts = sms->add_subcommand("parts", "print a text's SMS encoding, length and parts as JSON");
  sms_parts->add_option("--text", v->text, "the message text (UTF-8)")->required();
  sms_parts->callback([v, set] { set([v] { return SmsParts(v->text); }); });
  auto* sms_hooks = sms->add_subcommand("hooks", "print the hook URLs to put in kannel.conf (they carry the hook key)");
  AddDbOption(sms_hooks, v->db);
  sms_hooks->add_option("--callback-url", v->worker.callback_url, "this server as Kannel reaches it, e.g. http://127.0.0.1:8080")
      ->required();
  sms_hooks->callback([v, set] { set([v] { return SmsHooks(v->db, v->worker.callback_url); }); });

  auto* mail = cli.add_subcommand("mail", "email tools");
  mail->require_subcommand(1);
  auto* mail_bounce = mail->add_subcommand(
      "bounce",
      "apply delivery status notifications for our emails: every message in --maildir's new/, or one on stdin (a mail server's pipe); "
      "prints counts as JSON, exits 75 when the database cannot be reached");
  AddDbOption(mail_bounce, v->db);
  mail_bounce->add_option("--maildir", v->file, "a Maildir the bounce domain's mail is delivered to; none: read one message from stdin");
  mail_bounce->callback([v, set] { set([v] { return MailBounce(v->db, v->file); }); });

  auto* kit = cli.add_subcommand("kit", "home-test kit photos");
  kit->require_subcommand(1);
  auto* kit_read = kit->add_subcommand("read", "pre-read kit photos: one JSON line each (category, C and T line strengths, ms)");
  kit_read->add_option("files", v->files, "JPEG or PNG photos")->required();
  kit_read->callback([v, set] { set([v] { return KitRead(v->files); }); });

  auto* care = cli.add_subcommand("care", "home-test applications");
  care->require_subcommand(1);
  auto* care_sweep =
      care->add_subcommand("sweep", "delete the residents' photos whose retention has run out (serve does it every 10 minutes)");
  AddDbOption(care_sweep, v->db);
  care_sweep->add_option("--files", v->serve.files_dir, "the folder serve keeps the photos in (env MADOGUCHI_FILES)")
      ->envname("MADOGUCHI_FILES")
      ->required();
  care_sweep->callback([v, set] { set([v] { return CareSweep(v->db, v->serve.files_dir); }); });
  auto* care_round = care->add_subcommand(
      "round",
      "send the health check-ins due now, the reminders, put missed check-ins on the call list, end finished home care "
      "(serve and worker do it every 30 seconds)");
  AddDbOption(care_round, v->db);
  care_round->callback([v, set] { set([v] { return CareRound(v->db); }); });
  auto* care_settings = care->add_subcommand(
      "settings",
      "show a tenant's home-care settings (JSON); with an option, change them: the check-in's time and deadlines, the triage rules");
  AddDbOption(care_settings, v->db);
  care_settings->add_option("--tenant", v->care_settings.tenant, "the tenant's code")->required();
  care_settings->add_option("--check-in", v->care_settings.check_in, "the daily check-in's time, HH:MM (default 09:00)");
  care_settings->add_option("--remind-after", v->care_settings.remind_after, "minutes after it to remind (30-720; default 180)");
  care_settings->add_option("--call-after", v->care_settings.call_after,
                            "minutes after it to put the silent on the call list (after the reminder, the same day; default 360)");
  care_settings->add_option("--triage", v->care_settings.triage_file,
                            "the tenant's triage rule file (docs/care.md; `madoguchi triage defaults`)");
  care_settings->add_option("--rules", v->care_settings.rules_file,
                            "the tenant's registration rules file: eligibility, kits, home-care days, photo retention, clinic information "
                            "(docs/care.md; the \"rules\" of this command's output is one to start from)");
  care_settings->callback([v, set] { set([v] { return CareSettingsCommand(v->db, v->care_settings); }); });

  auto* triage = cli.add_subcommand("triage", "home-care triage rules");
  triage->require_subcommand(1);
  auto* triage_defaults = triage->add_subcommand("defaults", "print the default triage rule file (JSON), to start a tenant's own from");
  triage_defaults->callback([set] { set([] { return TriageDefaults(); }); });

  auto* campaign = cli.add_subcommand("campaign", "SMS campaigns: one text to a list of recipients");
  campaign->require_subcommand(1);
  auto* campaign_send =
      campaign->add_subcommand("send", "check a recipient CSV (電話番号 and the text's {columns}) and queue the campaign");
  AddDbOption(campaign_send, v->db);
  campaign_send->add_option("--tenant", v->campaign.tenant, "municipality code")->required();
  campaign_send->add_option("--name", v->campaign.name, "what the campaign is, for staff")->required();
  campaign_send->add_option("--text", v->campaign.text, "the message, with {column} placeholders");
  campaign_send->add_option("--text-file", v->campaign.text_file, "or a file holding it");
  auto* csv_option =
      campaign_send->add_option("--csv", v->campaign.csv, "recipients: UTF-8 or CP932, a header row with 電話番号 and/or メールアドレス");
  auto* segment_option = campaign_send->add_option("--segment", v->campaign.segment,
                                                   "recipients from the bookings instead: booked_on:YYYY-MM-DD or not_booked");
  csv_option->excludes(segment_option);
  campaign_send->add_option("--at", v->campaign.at, "when to start (ISO 8601; default now)");
  campaign_send->add_flag("--dry-run", v->campaign.dry_run, "check and preview only");
  campaign_send->callback([v, set] {
    v->campaign.db = v->db;
    set([v] { return CampaignSend(v->campaign); });
  });
  for (const char* action : {"status", "pause", "resume", "cancel"}) {
    auto* sub =
        campaign->add_subcommand(action, std::string(action) == "status" ? "a campaign's counts" : std::string(action) + " a campaign");
    AddDbOption(sub, v->db);
    sub->add_option("--tenant", v->tenant, "municipality code")->required();
    sub->add_option("--id", v->campaign_id, "the campaign")->required();
    const std::string a = std::string(action) == "status" ? "" : action;
    sub->callback([v, set, a] { set([v, a] { return CampaignShow(v->db, v->tenant, v->campaign_id, a); }); });
  }

  auto* migrate = cli.add_subcommand("migrate", "apply database migrations");
  AddDbOption(migrate, v->db);
  migrate->callback([v, set] { set([v] { return Migrate(v->db); }); });

  auto* audit = cli.add_subcommand("audit", "the audit log on the server");
  audit->require_subcommand(1);
  auto* audit_security = audit->add_subcommand(
      "security", "the platform's security log: logins, failed and throttled logins (unknown names too), token changes");
  AddDbOption(audit_security, v->db);
  audit_security->add_option("--limit", v->limit, "newest entries to print")->check(CLI::Range(1, 100000))->capture_default_str();
  audit_security->callback([v, set] { set([v] { return AuditSecurity(v->db, v->limit); }); });

  auto* tenant = cli.add_subcommand("tenant", "manage tenants (municipalities, prefectures)");
  tenant->require_subcommand(1);
  auto* tenant_add = tenant->add_subcommand("add", "add a tenant");
  AddDbOption(tenant_add, v->db);
  tenant_add->add_option("--code", v->code, "6-digit local-government code with check digit, e.g. 452041")->required();
  tenant_add->add_option("--name", v->name, "name, e.g. 日南市")->required();
  tenant_add->callback([v, set] { set([v] { return TenantAdd(v->db, v->code, v->name); }); });
  auto* tenant_list = tenant->add_subcommand("list", "list tenants");
  AddDbOption(tenant_list, v->db);
  tenant_list->callback([v, set] { set([v] { return TenantList(v->db); }); });

  auto* user = cli.add_subcommand("user", "manage staff accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add a staff account; the password is read from stdin");
  AddDbOption(user_add, v->db);
  user_add->add_option("--login", v->login, "login name: a-z 0-9 . _ -")->required();
  user_add->add_option("--role", v->role, "admin | supervisor | operator | doctor | city_staff")->required();
  user_add->add_option("--tenant", v->tenant, "tenant codes, comma-separated")->required();
  user_add->add_option("--name", v->display_name, "display name (default: the login)");
  user_add->callback([v, set] { set([v] { return UserAdd(v->db, v->login, v->role, v->tenant, v->display_name); }); });
  auto* user_list = user->add_subcommand("list", "list staff accounts");
  AddDbOption(user_list, v->db);
  user_list->add_option("--tenant", v->tenant, "only this tenant's staff");
  user_list->callback([v, set] { set([v] { return UserList(v->db, v->tenant); }); });
  auto* user_passwd = user->add_subcommand("passwd", "set a new password (read from stdin); ends all sessions");
  AddDbOption(user_passwd, v->db);
  user_passwd->add_option("--login", v->login, "login name")->required();
  user_passwd->callback([v, set] { set([v] { return UserPasswd(v->db, v->login); }); });
  auto* user_disable = user->add_subcommand("disable", "disable a user: their sessions and API tokens end at once");
  AddDbOption(user_disable, v->db);
  user_disable->add_option("--login", v->login, "login name")->required();
  user_disable->callback([v, set] { set([v] { return UserDisable(v->db, v->login, true); }); });
  auto* user_enable = user->add_subcommand("enable", "enable a disabled user again (they log in anew)");
  AddDbOption(user_enable, v->db);
  user_enable->add_option("--login", v->login, "login name")->required();
  user_enable->callback([v, set] { set([v] { return UserDisable(v->db, v->login, false); }); });

  auto* token = cli.add_subcommand("token", "API tokens for machine clients");
  token->require_subcommand(1);
  auto* token_add = token->add_subcommand("add", "create an API token for a user and print it once");
  AddDbOption(token_add, v->db);
  token_add->add_option("--login", v->login, "the user the token acts as")->required();
  token_add->add_option("--name", v->name, "what the token is for")->required();
  token_add->add_option("--expires-days", v->expires_days, "days until the token stops working (1..365)")->capture_default_str();
  token_add->add_option("--scope", v->scope, "full (the user's role) or read (GET only)")->capture_default_str();
  token_add->callback([v, set] { set([v] { return TokenAdd(v->db, v->login, v->name, v->expires_days, v->scope); }); });

  auto* demo = cli.add_subcommand("demo", "create the demo municipality and one account per role (once)");
  AddDbOption(demo, v->db);
  demo->add_option("--credentials", v->credentials, "file to keep the generated demo passwords in")->capture_default_str();
  demo->callback([v, set] { set([v] { return Demo(v->db, v->credentials); }); });

  auto* residents = cli.add_subcommand("residents", "the target list (対象者一覧)");
  residents->require_subcommand(1);
  auto* residents_import = residents->add_subcommand("import", "import the list CSV (UTF-8 or CP932; all rows or none)");
  AddDbOption(residents_import, v->db);
  residents_import->add_option("--tenant", v->tenant, "municipality code")->required();
  residents_import->add_option("file", v->file, "CSV: 宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号")->required();
  residents_import->callback([v, set] { set([v] { return ResidentsImport(v->db, v->tenant, v->file); }); });

  auto* vrs = cli.add_subcommand("vrs", "Vaccination Record System files (予防接種台帳向け出力 layout; docs/vrs.md)");
  vrs->require_subcommand(1);
  auto* vrs_export = vrs->add_subcommand("export", "write everyone's recorded doses");
  AddDbOption(vrs_export, v->db);
  vrs_export->add_option("--tenant", v->tenant, "municipality code")->required();
  vrs_export->add_option("--encoding", v->name, "utf-8 (with BOM) or cp932 (Shift_JIS)")->default_val("utf-8");
  vrs_export->add_option("--out", v->file, "file to write (default: stdout)");
  vrs_export->callback([v, set] { set([v] { return VrsExport(v->db, v->tenant, v->name, v->file); }); });
  auto* vrs_import = vrs->add_subcommand("import", "reconcile a VRS file with our records (all rows or none)");
  AddDbOption(vrs_import, v->db);
  vrs_import->add_option("--tenant", v->tenant, "municipality code")->required();
  vrs_import->add_option("file", v->file, "the VRS CSV (UTF-8 or CP932)")->required();
  vrs_import->callback([v, set] { set([v] { return VrsImport(v->db, v->tenant, v->file); }); });

  auto* bookings = cli.add_subcommand("bookings", "booking records");
  bookings->require_subcommand(1);
  auto* bookings_check = bookings->add_subcommand(
      "check", "verify: no slot over capacity, seat counts agree, and every code listed in --codes is still booked");
  AddDbOption(bookings_check, v->db);
  bookings_check->add_option("--tenant", v->tenant, "municipality code")->required();
  bookings_check->add_option("--codes", v->file, "file with one confirmation code per line (e.g. every 201 a client got)");
  bookings_check->callback([v, set] { set([v] { return BookingsCheck(v->db, v->tenant, v->file); }); });

  DefineQueueingCommands(cli, set);
  DefineSimCommand(cli, set);
  DefineForecastCommand(cli, set);
  DefinePlanCommand(cli, set);

  auto* routes = cli.add_subcommand("routes", "print the route table with roles and tenant scope");
  routes->callback([set] { set([] { return Routes(); }); });
}

}  // namespace madoguchi::app
