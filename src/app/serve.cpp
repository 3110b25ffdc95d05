// `madoguchi serve`: open and migrate the database, serve HTTP until SIGTERM/SIGINT, then let
// in-flight requests finish and close the database.
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <atomic>
#include <thread>

#include "app/commands.hpp"
#include "app/process_setup.hpp"
#include "channels/line.hpp"
#include "common/crypto.hpp"
#include "store/batch_writer.hpp"
#include "store/migrations.hpp"
#include "web/web_app.hpp"

namespace madoguchi::app {
namespace {

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgumentError("--listen", "use HOST:PORT, e.g. 127.0.0.1:8080");
  }
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return InvalidArgumentError("--listen", "the port must be a number from 0 to 65535");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::make_pair(host, std::stoi(port));
}

}  // namespace

int Serve(const ServeOptions& options) {
  SetUpLogging();
  // Block the stop signals before any thread starts, so only the waiter below receives them.
  const sigset_t stop_signals = BlockStopSignals();

  auto listen = ParseListen(options.listen);
  if (!listen.ok()) {
    std::fprintf(stderr, "madoguchi: %s\n", listen.status().ToString().c_str());
    return kExitUsage;
  }
  if (!crypto::InitCrypto()) return kExitFailure;
  store::OpenOptions db_options;
  db_options.max_connections = options.db_connections;
  auto db = store::OpenDatabase(options.db, db_options);
  if (!db.ok()) {
    spdlog::error("msg=\"cannot open database\" error=\"{}\"", db.status().ToString());
    return db.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto migrated = store::Migrate(**db);
  if (!migrated.ok()) {
    spdlog::error("msg=\"migration failed\" error=\"{}\"", migrated.status().ToString());
    return kExitFailure;
  }
  spdlog::info("msg=\"database ready\" db=\"{}\" schema_version={} applied={}", (*db)->display_url(), migrated->to_version,
               migrated->applied);

  web::ServerSettings server_settings = options.server;
  // Handler threads beyond the booking requests admitted at once: a flood fills the waiting room,
  // not the handler queue, and pages and the API still get threads.
  server_settings.threads = std::max(server_settings.threads, options.admission_max_in_flight + 16);
  // Open connections cost a file descriptor each; take the hard limit.
  if (rlimit nofile{}; getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  server_settings.host = listen->first;
  server_settings.port = listen->second;
  web::WebSettings web_settings;
  web_settings.secure_cookies = options.secure_cookies;
  web_settings.admission_max_in_flight = options.admission_max_in_flight;
  web_settings.staff_lookups_per_hour = options.staff_lookups_per_hour;
  web_settings.public_url = options.worker.public_url;
  web_settings.kannel_admin_url = options.kannel_admin_url;
  web_settings.kannel_admin_password = options.kannel_admin_password;
  while (!web_settings.public_url.empty() && web_settings.public_url.back() == '/') web_settings.public_url.pop_back();
  for (const auto& cidr : options.trusted_proxies) {
    auto net = web::ParseCidr(cidr, "--trusted-proxy");
    if (!net.ok()) {
      std::fprintf(stderr, "madoguchi: --trusted-proxy %s: %s\n", cidr.c_str(), net.status().message().c_str());
      return kExitUsage;
    }
    web_settings.trusted_proxies.push_back(*net);
  }
  // Without the shared signing secret the server does not start (issue #10 §3): a secret of this
  // process alone would make every other process refuse the cookies it signs.
  auto secret = web::LoadSigningSecret(**db, SystemClock());
  if (!secret.ok()) {
    spdlog::error("msg=\"cannot load the signing secret\" error=\"{}\"", secret.status().ToString());
    return kExitFailure;
  }
  // The composition root: the single writer every booking write goes through (group commit) and
  // the LINE client are built here and handed to the application, which does no I/O of its own
  // when it is made.
  store::BatchWriter writer(**db, store::DefaultBatchWriterOptions(**db));
  channels::LineClient line(channels::LineClientOptions{options.line_api_base});
  // Residents' photos: a folder beside a SQLite database unless one is named; on PostgreSQL one
  // must be named (a shared volume every process sees), else uploads are refused.
  std::string files_dir = options.files_dir;
  if (files_dir.empty() && options.db.starts_with("sqlite:")) {
    const std::string path = options.db.substr(7);
    const size_t slash = path.rfind('/');
    files_dir = (slash == std::string::npos ? std::string(".") : path.substr(0, slash)) + "/files";
  }
  if (files_dir.empty()) {
    spdlog::warn("msg=\"no folder for residents' photos: home-test applications are refused until serve --files is given\"");
  } else {
    spdlog::info("msg=\"residents' photos\" files=\"{}\"", files_dir);
  }
  web::WebApp app({**db, SystemClock(), writer, line, *secret, files_dir}, web_settings);
  auto dispatch = [&app](web::HttpRequest&& r) { return app.Handle(std::move(r)); };
  const bool split = !options.staff_listen.empty();
  auto public_dispatch = [&app, split](web::HttpRequest&& r) {
    r.residents_only = split;
    return app.Handle(std::move(r));
  };
  web::HttpServer server(server_settings, public_dispatch);
  if (Status s = server.Bind(); !s.ok()) {
    spdlog::error("msg=\"cannot listen\" error=\"{}\"", s.ToString());
    return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  spdlog::info("msg=listening url={}://{}:{} handler_threads={} io_threads={}", server.tls() ? "https" : "http", server_settings.host,
               server.port(), server_settings.threads, server_settings.io_threads);
  // The staff listener: the same application behind its own accept queue and threads.
  std::unique_ptr<web::HttpServer> staff;
  if (!options.staff_listen.empty()) {
    auto staff_listen = ParseListen(options.staff_listen);
    if (!staff_listen.ok()) {
      std::fprintf(stderr, "madoguchi: --staff-listen: %s\n", staff_listen.status().message().c_str());
      return kExitUsage;
    }
    web::ServerSettings staff_settings = server_settings;
    staff_settings.host = staff_listen->first;
    staff_settings.port = staff_listen->second;
    staff_settings.threads = std::max(2, options.server.threads);
    staff = std::make_unique<web::HttpServer>(staff_settings, dispatch);
    if (Status s = staff->Bind(); !s.ok()) {
      spdlog::error("msg=\"cannot listen (staff)\" error=\"{}\"", s.ToString());
      return kExitFailure;
    }
    spdlog::info("msg=listening role=staff url={}://{}:{}", staff->tls() ? "https" : "http", staff_settings.host, staff->port());
  }

  // --worker: the outbox is delivered by this process too (a single-machine city).
  std::atomic<bool> worker_stop{false};
  WorkerCounters worker_counters;
  std::thread worker;
  if (options.run_worker) {
    WorkerOptions w = options.worker;
    if (w.callback_url.empty())
      w.callback_url = std::string(server.tls() ? "https://" : "http://") + listen->first + ":" + std::to_string(server.port());
    auto resolved = ResolveWorkerOptions(w, *secret);
    if (!resolved.ok()) {
      std::fprintf(stderr, "madoguchi: --%s: %s\n", resolved.status().field().c_str(), resolved.status().message().c_str());
      return kExitUsage;
    }
    worker = std::thread([&db, resolved = *resolved, &worker_stop, &worker_counters, s = *secret] {
      Status st = RunWorker(**db, SystemClock(), resolved, s, worker_stop, worker_counters);
      if (!st.ok()) spdlog::error("msg=\"worker stopped\" error=\"{}\"", st.ToString());
    });
  }

  // Long jobs (plans) run on their own threads, never a request's.
  std::atomic<bool> jobs_stop{false};
  std::thread jobs(
      [&db, &jobs_stop, &options] { RunJobThreads(**db, SystemClock(), options.worker.name, options.worker.job_threads, jobs_stop); });

  // Photos past their retention are deleted every 10 minutes (every process may: each row is taken once).
  std::atomic<bool> sweep_stop{false};
  std::thread sweeps([&db, &sweep_stop, files_dir] {
    if (!files_dir.empty()) RunPhotoSweeps(**db, SystemClock(), files_dir, std::chrono::minutes(10), sweep_stop);
  });

  // Daily health observation: check-ins, reminders, the call list, every 30 seconds (every process may).
  std::atomic<bool> rounds_stop{false};
  std::thread rounds([&db, &rounds_stop, s = *secret] { RunCareRounds(**db, SystemClock(), s, std::chrono::seconds(30), rounds_stop); });

  std::thread serving([&server] { server.Run(); });
  std::thread staff_serving([&staff] {
    if (staff) staff->Run();
  });
  std::atomic<bool> signalled{false};
  std::thread waiter([&server, &staff, &signalled, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    signalled = true;
    spdlog::info("msg=\"stopping\" signal={}", sig);
    server.Stop();
    if (staff) staff->Stop();
  });
  serving.join();
  if (staff && !signalled) staff->Stop();
  staff_serving.join();
  // Run() returned: either a signal stopped it or the listener failed; wake the waiter if needed.
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  worker_stop = true;
  if (worker.joinable()) worker.join();
  jobs_stop = true;
  jobs.join();
  sweep_stop = true;
  sweeps.join();
  rounds_stop = true;
  rounds.join();
  (*db)->CloseIdle();
  spdlog::info("msg=stopped");
  return kExitOk;
}

}  // namespace madoguchi::app
