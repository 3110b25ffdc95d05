// src/web/http/server.hpp — the HTTP listener (GNU libmicrohttpd; see docs/dependencies.md).
//
// Hands every request to one dispatch function as an HttpRequest value. Connections live on an
// epoll loop and hold no thread while idle (a waiting resident's open keep-alive connection costs a
// file descriptor, not a thread); a complete request is handed to a pool of handler threads, which
// may block (on a database commit, say) without stalling other connections.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/status.hpp"
#include "web/http/http_types.hpp"

namespace madoguchi::web {

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;                   // 0 picks a free port (see HttpServer::port())
  int threads = 64;                  // handler threads: requests being handled at once
  int io_threads = 1;                // threads reading and writing sockets (epoll loops)
  int max_connections = 10000;       // open connections (idle ones included)
  size_t max_body_bytes = 32 << 20;  // larger requests get 413 (an application carries two photos of up to 15 MB)
  int idle_timeout_s = 10;           // a connection silent this long (idle or mid-request) is closed
  std::string tls_cert_file;         // both set: HTTPS
  std::string tls_key_file;
};

class HttpServer {
 public:
  using Dispatch = std::function<HttpResponse(HttpRequest&&)>;

  // `dispatch` is called concurrently from the handler threads and must be thread-safe.
  HttpServer(ServerSettings settings, Dispatch dispatch);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the socket and starts serving. Errors: kInvalidArgument (field "tls") for unusable
  // certificates, kUnavailable when the address cannot be bound.
  Status Bind();
  // The bound port (after Bind()).
  int port() const;
  // Blocks until Stop(); returns after in-flight requests have been answered.
  void Run();
  // Stops accepting; thread-safe, callable from a signal-watching thread.
  void Stop();
  bool tls() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace madoguchi::web
