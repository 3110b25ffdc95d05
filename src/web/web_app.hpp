// src/web/web_app.hpp — the application behind the HTTP listener: routing, authentication,
// roles and tenant scope, CSRF, error mapping and the access log, in front of one handler class
// per feature (accounts/, audit/, planning/, booking/, residents/, line/), each registering its
// own routes.
//
// WebApp::Handle is transport-neutral (HttpRequest in, HttpResponse out) and thread-safe. Its
// constructor does no I/O: the composition root (src/app/serve.cpp) opens the database, loads
// the signing secret and builds the writer and the LINE client, and passes them in.
#pragma once

#include <memory>
#include <string>

#include "channels/line.hpp"
#include "common/clock.hpp"
#include "store/batch_writer.hpp"
#include "store/database.hpp"
#include "web/core/context.hpp"
#include "web/http/router.hpp"

namespace madoguchi::web {

class AdmissionGate;

// The secret that signs residents' cookies and waiting-room numbers: one for every process on
// the database (the first process stores it). The composition root loads it before building the
// WebApp, and does not start without it (never a per-process secret in its place: another
// process would refuse every cookie this one signed). Errors: the database's.
Result<std::string> LoadSigningSecret(store::Database& db, const Clock& clock);

// What the composition root builds and hands in. Every reference outlives the WebApp.
struct WebParts {
  store::Database& db;
  const Clock& clock;
  store::BatchWriter& writer;  // every booking write: group commit
  channels::LineClient& line;  // LINE's Messaging API
  std::string signing_secret;  // LoadSigningSecret's (not empty)
  std::string files_dir;       // where residents' photos are kept (serve --files); shared by every process
};

class WebApp {
 public:
  WebApp(WebParts parts, WebSettings settings);
  ~WebApp();
  WebApp(const WebApp&) = delete;
  WebApp& operator=(const WebApp&) = delete;

  HttpResponse Handle(HttpRequest&& request);
  const Router& router() const;
  // The same routes without an application behind them (no database, no handlers): for
  // `madoguchi routes` and the docs.
  static Router RouteTable();
  // The waiting room every booking write passes (pages and API alike); tests fill it.
  AdmissionGate& admission();

  // Cookie names (web/core/context.hpp), for tests and docs.
  static constexpr const char* kSessionCookie = cookies::kSession;
  static constexpr const char* kLoginCsrfCookie = cookies::kLoginCsrf;
  static constexpr const char* kResidentCsrfCookie = cookies::kResidentCsrf;
  static std::string CookieName(std::string_view base, bool secure) { return cookies::Name(base, secure); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace madoguchi::web
