// src/web/server.hpp — the HTTP listener (cpp-httplib, tuned; see docs/dependencies.md).
//
// Hands every request to one dispatch function as an HttpRequest value. Tuning that matters on
// Debian's build of cpp-httplib (../shared/STACK.md): TCP_NODELAY, a thread pool as large as the
// expected keep-alive connections, a listen backlog of SOMAXCONN, and a request size limit.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/status.hpp"
#include "web/http_types.hpp"

namespace madoguchi::web {

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;                       // 0 picks a free port (see HttpServer::port())
  int threads = 64;                      // each keep-alive connection holds one while open
  size_t max_body_bytes = 8 << 20;       // larger requests get 413
  int keep_alive_max_requests = 1000;
  int keep_alive_timeout_s = 5;
  int read_timeout_s = 10;               // a client that stalls mid-request is dropped
  int write_timeout_s = 10;
  std::string tls_cert_file;             // both set: HTTPS
  std::string tls_key_file;
};

class HttpServer {
 public:
  using Dispatch = std::function<HttpResponse(HttpRequest&&)>;

  // `dispatch` is called concurrently from the pool threads and must be thread-safe.
  HttpServer(ServerSettings settings, Dispatch dispatch);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the socket. Errors: kInvalidArgument (field "tls") for unusable certificates,
  // kUnavailable when the address cannot be bound.
  Status Bind();
  // The bound port (after Bind()).
  int port() const;
  // Serves until Stop(); returns after in-flight requests have finished.
  void Run();
  // Stops accepting; thread-safe, callable from a signal-watching thread.
  void Stop();
  bool tls() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace madoguchi::web
