#include "web/server.hpp"

#include <httplib.h>
#include <sys/socket.h>

namespace madoguchi::web {

struct HttpServer::Impl {
  ServerSettings settings;
  Dispatch dispatch;
  std::unique_ptr<httplib::Server> server;
  int listen_fd = -1;
  int port = 0;
  bool tls = false;
};

HttpServer::HttpServer(ServerSettings settings, Dispatch dispatch) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
  impl_->dispatch = std::move(dispatch);
}

HttpServer::~HttpServer() = default;

namespace {

HttpRequest ToRequest(const httplib::Request& req, bool tls) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  r.params.insert(req.params.begin(), req.params.end());
  // multipart/form-data: each part (a text field or an uploaded file's content) is a parameter.
  for (const auto& [name, part] : req.files) r.params.emplace(name, part.content);
  r.headers.insert(req.headers.begin(), req.headers.end());
  r.body = req.body;
  r.remote_addr = req.remote_addr;
  r.tls = tls;
  return r;
}

void Apply(const HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [k, v] : from.headers) to.set_header(k, v);
  to.set_content(from.body, from.content_type.c_str());
}

}  // namespace

Status HttpServer::Bind() {
  Impl& s = *impl_;
  if (!s.settings.tls_cert_file.empty() || !s.settings.tls_key_file.empty()) {
    auto ssl = std::make_unique<httplib::SSLServer>(s.settings.tls_cert_file.c_str(), s.settings.tls_key_file.c_str());
    if (!ssl->is_valid()) {
      return InvalidArgumentError("tls", "cannot load the TLS certificate or key (--tls-cert, --tls-key)");
    }
    s.server = std::move(ssl);
    s.tls = true;
  } else {
    s.server = std::make_unique<httplib::Server>();
  }
  httplib::Server& svr = *s.server;
  const int threads = std::max(2, s.settings.threads);
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_tcp_nodelay(true);
  svr.set_keep_alive_max_count(s.settings.keep_alive_max_requests);
  svr.set_keep_alive_timeout(s.settings.keep_alive_timeout_s);
  svr.set_read_timeout(s.settings.read_timeout_s, 0);
  svr.set_write_timeout(s.settings.write_timeout_s, 0);
  svr.set_payload_max_length(s.settings.max_body_bytes);

  const bool tls = s.tls;
  auto handler = [this, tls](const httplib::Request& req, httplib::Response& res) {
    Apply(impl_->dispatch(ToRequest(req, tls)), res);
  };
  svr.Get(".*", handler);
  svr.Post(".*", handler);
  svr.Put(".*", handler);
  svr.Delete(".*", handler);
  svr.Patch(".*", handler);
  svr.Options(".*", handler);
  // Errors httplib produces itself (unparseable request line, 413, ...) get a JSON body too.
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* key = res.status == 413 ? "payload_too_large" : res.status == 414 ? "uri_too_long" : "bad_request";
    res.set_content(std::string("{\"error\":{\"code\":\"") + key + "\",\"message\":\"the request was rejected\"}}",
                    "application/json");
  });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(R"({"error":{"code":"internal","message":"internal error"}})", "application/json");
  });

  // Debian's .so bakes a listen backlog of 5 in; take the fd and listen again with SOMAXCONN.
  svr.set_socket_options([this](socket_t fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    impl_->listen_fd = fd;
  });
  if (s.settings.port == 0) {
    s.port = svr.bind_to_any_port(s.settings.host);
    if (s.port <= 0) return UnavailableError("cannot bind " + s.settings.host + " to a free port", "bind_failed");
  } else {
    if (!svr.bind_to_port(s.settings.host, s.settings.port)) {
      return UnavailableError("cannot bind " + s.settings.host + ":" + std::to_string(s.settings.port) +
                                  " (in use, or not an address of this machine)",
                              "bind_failed");
    }
    s.port = s.settings.port;
  }
  if (s.listen_fd >= 0) ::listen(s.listen_fd, SOMAXCONN);
  return Status::Ok();
}

int HttpServer::port() const { return impl_->port; }
bool HttpServer::tls() const { return impl_->tls; }

void HttpServer::Run() {
  if (impl_->server) impl_->server->listen_after_bind();
}

void HttpServer::Stop() {
  if (impl_->server) impl_->server->stop();
}

}  // namespace madoguchi::web
