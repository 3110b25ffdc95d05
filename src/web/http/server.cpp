#include "web/http/server.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <strings.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace madoguchi::web {

namespace {

// One request and its answer on a connection. MHD keeps it in the connection's slot (`con_cls`)
// from the first callback until the request completes.
struct Exchange {
  HttpRequest request;
  HttpResponse response;
  MHD_Connection* connection = nullptr;
  bool started = false;  // the access handler has seen the headers
  size_t declared_length = 0;
  bool too_large = false;
  bool nul_in_path = false;
  size_t counted_bytes = 0;  // this request's share of Impl::buffered_bytes  // "%00" in the request target: refused, never cut short
  bool dispatched = false;
  std::atomic<bool> answered{false};                             // set by the handler thread before it resumes the connection
  std::multimap<std::string, std::string>::iterator last_field;  // for form fields split across calls
  bool has_last_field = false;
};

// A PEM file's text, or "" when it cannot be read.
std::string ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return in.bad() ? "" : text.str();
}

HttpResponse JsonError(int status, const char* code, const char* message) {
  HttpResponse r;
  r.status = status;
  r.body = std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" + message + "\"}}";
  return r;
}

MHD_Result Send(MHD_Connection* c, const HttpResponse& r, bool close = false) {
  MHD_Response* resp = MHD_create_response_from_buffer(r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (resp == nullptr) return MHD_NO;
  // A header MHD refuses (a CR or LF in it) is dropped rather than sent broken.
  for (const auto& [k, v] : r.headers) MHD_add_response_header(resp, k.c_str(), v.c_str());
  if (!r.content_type.empty()) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
  if (close) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  const MHD_Result ok = MHD_queue_response(c, static_cast<unsigned>(r.status), resp);
  MHD_destroy_response(resp);
  return ok;
}

MHD_Result CollectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<std::multimap<std::string, std::string>*>(cls)->emplace(key, value ? value : "");
  return MHD_YES;
}

MHD_Result CollectField(void* cls, MHD_ValueKind, const char* key, const char* filename, const char*, const char*, const char* data,
                        uint64_t off, size_t size) {
  auto& x = *static_cast<Exchange*>(cls);
  if (filename != nullptr) x.request.file_fields.insert(key);
  if (off > 0 && x.has_last_field && x.last_field->first == key) {
    x.last_field->second.append(data, size);
  } else {
    x.last_field = x.request.params.emplace(key, std::string(data ? data : "", data ? size : 0));
    x.has_last_field = true;
  }
  return MHD_YES;
}

std::string PeerAddress(MHD_Connection* c) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) return "";
  char buf[INET6_ADDRSTRLEN] = {0};
  const sockaddr* sa = info->client_addr;
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

bool IsFormBody(const HttpRequest& r) {
  const std::string type = r.Header("Content-Type");
  auto starts = [&type](std::string_view p) { return type.size() >= p.size() && strncasecmp(type.data(), p.data(), p.size()) == 0; };
  return starts("application/x-www-form-urlencoded") || starts("multipart/form-data");
}

}  // namespace

struct HttpServer::Impl {
  ServerSettings settings;
  Dispatch dispatch;
  MHD_Daemon* daemon = nullptr;
  int listen_fd = -1;
  int port = 0;
  bool tls = false;
  std::string cert_pem, key_pem;  // MHD reads them at start; kept for the daemon's lifetime

  // Handler threads and their queue of complete requests.
  std::mutex mu;
  std::condition_variable work_cv;
  std::deque<Exchange*> queue;
  bool draining = false;
  std::vector<std::thread> workers;
  // Requests begun and not yet answered (a half-received one included); idle connections hold none.
  std::atomic<int> open_requests{0};
  // Body bytes held by requests not yet complete, over all connections: bounded, so many slow
  // uploads cannot hold memory without limit (each is also bounded by max_body_bytes).
  std::atomic<size_t> buffered_bytes{0};
  size_t buffered_budget() const { return std::max<size_t>(size_t{256} << 20, 4 * settings.max_body_bytes); }

  // Run() waits here until Stop().
  std::mutex run_mu;
  std::condition_variable run_cv;
  bool stop_requested = false;
  bool torn_down = false;

  static MHD_Result OnRequest(void* cls, MHD_Connection* c, const char* url, const char* method, const char*, const char* upload_data,
                              size_t* upload_data_size, void** con_cls);
  // MHD shows the request target before unescaping it: the query string is decoded here, as a
  // browser's form encodes it ('+' for a space), which MHD's own argument parsing does not do.
  static void* OnUri(void* cls, const char* uri, MHD_Connection* c) {
    auto* x = new Exchange;
    x->connection = c;
    static_cast<Impl*>(cls)->open_requests.fetch_add(1, std::memory_order_relaxed);
    {
      std::string_view path(uri);
      path = path.substr(0, path.find('?'));
      for (size_t at = path.find('%'); at != std::string_view::npos; at = path.find('%', at + 1)) {
        if (path.substr(at + 1, 2) == "00") x->nul_in_path = true;
      }
    }
    if (const char* q = std::strchr(uri, '?')) {
      std::string_view query(q + 1);
      query = query.substr(0, query.find('#'));
      ParseQueryString(query, x->request.params);
      ParseQueryString(query, x->request.query);
    }
    return x;
  }
  static void OnCompleted(void* cls, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
    if (*con_cls == nullptr) return;
    auto* x = static_cast<Exchange*>(*con_cls);
    static_cast<Impl*>(cls)->buffered_bytes.fetch_sub(x->counted_bytes);
    delete x;
    *con_cls = nullptr;
    static_cast<Impl*>(cls)->open_requests.fetch_sub(1, std::memory_order_relaxed);
  }
  void Work();
  void TearDown();
};

MHD_Result HttpServer::Impl::OnRequest(void* cls, MHD_Connection* c, const char* url, const char* method, const char*,
                                       const char* upload_data, size_t* upload_data_size, void** con_cls) {
  Impl& s = *static_cast<Impl*>(cls);
  auto* x = static_cast<Exchange*>(*con_cls);
  if (x == nullptr) return MHD_NO;  // OnUri always sets it
  if (!x->started) {
    // The request line and headers are in; the body (if any) follows in later calls.
    x->started = true;
    HttpRequest& r = x->request;
    r.method = method;
    if (r.method == "HEAD") r.method = "GET";  // MHD leaves the body out
    r.path = url;
    r.tls = s.tls;
    r.remote_addr = PeerAddress(c);
    MHD_get_connection_values(c, MHD_HEADER_KIND, CollectHeader, &r.headers);
    if (x->nul_in_path) return Send(c, JsonError(400, "bad_request", "the path contains %00"), true);
    const std::string length = r.Header("Content-Length");
    if (!length.empty()) {
      auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), x->declared_length);
      if (ec != std::errc() || end != length.data() + length.size()) {
        return Send(c, JsonError(400, "bad_request", "Content-Length is not a number"), true);
      }
      // Far too large: answer now and close, rather than read it all.
      if (x->declared_length > 16 * s.settings.max_body_bytes) {
        return Send(c, JsonError(413, "payload_too_large", "the request body is too large"), true);
      }
      // The body grows as it arrives: a client that declares 8 MiB and sends a few bytes holds a
      // few bytes, not a reservation for the whole upload.
      if (x->declared_length <= s.settings.max_body_bytes) r.body.reserve(std::min<size_t>(x->declared_length, 64 * 1024));
    }
    return MHD_YES;
  }
  if (x->answered.load(std::memory_order_acquire)) {
    return Send(c, x->response);
  }
  if (*upload_data_size > 0) {
    if (!x->too_large) {
      if (x->request.body.size() + *upload_data_size > s.settings.max_body_bytes) {
        x->too_large = true;
        std::string().swap(x->request.body);
      } else if (s.buffered_bytes.fetch_add(*upload_data_size) + *upload_data_size > s.buffered_budget()) {
        s.buffered_bytes.fetch_sub(*upload_data_size);
        *upload_data_size = 0;
        return Send(c, JsonError(503, "busy", "too many uploads at once; try again"), true);
      } else {
        x->counted_bytes += *upload_data_size;
        x->request.body.append(upload_data, *upload_data_size);
      }
    }
    *upload_data_size = 0;  // consumed (or discarded)
    return MHD_YES;
  }
  if (x->dispatched) return MHD_YES;
  // The whole request is in: it no longer counts as an upload in progress.
  s.buffered_bytes.fetch_sub(x->counted_bytes);
  x->counted_bytes = 0;
  if (x->too_large) return Send(c, JsonError(413, "payload_too_large", "the request body is too large"), true);
  if (!x->request.body.empty() && IsFormBody(x->request)) {
    // Form fields (urlencoded or multipart; an uploaded file's content too) become parameters.
    MHD_PostProcessor* pp = MHD_create_post_processor(c, 64 * 1024, CollectField, x);
    if (pp != nullptr) {
      const MHD_Result parsed = MHD_post_process(pp, x->request.body.data(), x->request.body.size());
      MHD_destroy_post_processor(pp);
      if (parsed != MHD_YES) return Send(c, JsonError(400, "bad_request", "the form data cannot be parsed"));
    }
  }
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.draining) {
      return Send(c, JsonError(503, "shutting_down", "the server is stopping; try again"), true);
    }
    x->dispatched = true;
    MHD_suspend_connection(c);
    s.queue.push_back(x);
  }
  s.work_cv.notify_one();
  return MHD_YES;
}

void HttpServer::Impl::Work() {
  for (;;) {
    Exchange* x = nullptr;
    {
      std::unique_lock<std::mutex> lock(mu);
      work_cv.wait(lock, [this] { return draining || !queue.empty(); });
      if (queue.empty()) return;
      x = queue.front();
      queue.pop_front();
    }
    try {
      x->response = dispatch(std::move(x->request));
    } catch (...) {
      x->response = JsonError(500, "internal", "internal error");
    }
    x->answered.store(true, std::memory_order_release);
    MHD_resume_connection(x->connection);
  }
}

void HttpServer::Impl::TearDown() {
  if (torn_down) return;
  torn_down = true;
  if (daemon != nullptr) {
    MHD_quiesce_daemon(daemon);  // no new connections
    // Requests already begun (even half-received) are finished and answered; idle keep-alive
    // connections do not hold the stop up. A client that stalls is cut off after the idle timeout.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(settings.idle_timeout_s);
    while (open_requests.load(std::memory_order_relaxed) > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    draining = true;  // anything still queued runs; a request that arrives now gets 503
  }
  work_cv.notify_all();
  for (auto& t : workers) t.join();
  workers.clear();
  if (daemon != nullptr) {
    // Every suspended connection has been resumed; give the last answers a moment to go out.
    for (int i = 0; i < 20 && open_requests.load(std::memory_order_relaxed) > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    MHD_stop_daemon(daemon);
    daemon = nullptr;
  }
  if (listen_fd >= 0) ::close(listen_fd);
  listen_fd = -1;
}

HttpServer::HttpServer(ServerSettings settings, Dispatch dispatch) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
  impl_->dispatch = std::move(dispatch);
}

HttpServer::~HttpServer() { impl_->TearDown(); }

Status HttpServer::Bind() {
  Impl& s = *impl_;
  if (!s.settings.tls_cert_file.empty() || !s.settings.tls_key_file.empty()) {
    s.cert_pem = ReadPem(s.settings.tls_cert_file);
    s.key_pem = ReadPem(s.settings.tls_key_file);
    if (s.cert_pem.empty() || s.key_pem.empty()) {
      return InvalidArgumentError("tls", "cannot load the TLS certificate or key (--tls-cert, --tls-key)");
    }
    s.tls = true;
  }

  // The listening socket is ours: SO_REUSEADDR, a backlog of SOMAXCONN, and port 0 for a free one.
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port_text = std::to_string(s.settings.port);
  if (getaddrinfo(s.settings.host.c_str(), port_text.c_str(), &hints, &found) != 0 || found == nullptr) {
    return UnavailableError("cannot bind " + s.settings.host + ":" + port_text + " (not an address of this machine)", "bind_failed");
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return UnavailableError("cannot bind " + s.settings.host + ":" + port_text + " (in use, or not an address of this machine)",
                            "bind_failed");
  }
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len);
  s.port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                             : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  s.listen_fd = fd;

  // Not MHD_USE_TURBO: with it, when hundreds of clients connected and sent at once, the socket loop
  // now and then (2 rush runs in 37) served nothing for the whole idle timeout (docs/benchmarks.md).
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME;
  if (s.tls) flags |= MHD_USE_TLS;
  std::vector<MHD_OptionItem> options = {
      {MHD_OPTION_LISTEN_SOCKET, fd, nullptr},
      {MHD_OPTION_CONNECTION_TIMEOUT, static_cast<intptr_t>(std::max(1, s.settings.idle_timeout_s)), nullptr},
      {MHD_OPTION_CONNECTION_LIMIT, static_cast<intptr_t>(std::max(16, s.settings.max_connections)), nullptr},
      {MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<intptr_t>(64 * 1024), nullptr},
      {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&Impl::OnCompleted), &s},
      {MHD_OPTION_URI_LOG_CALLBACK, reinterpret_cast<intptr_t>(&Impl::OnUri), &s},
  };
  if (s.settings.io_threads > 1) {
    options.push_back({MHD_OPTION_THREAD_POOL_SIZE, static_cast<intptr_t>(s.settings.io_threads), nullptr});
  }
  if (s.tls) {
    options.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, s.key_pem.data()});
    options.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, s.cert_pem.data()});
  }
  options.push_back({MHD_OPTION_END, 0, nullptr});
  s.daemon = MHD_start_daemon(flags, 0, nullptr, nullptr, &Impl::OnRequest, &s, MHD_OPTION_ARRAY, options.data(), MHD_OPTION_END);
  if (s.daemon == nullptr) {
    ::close(fd);
    s.listen_fd = -1;
    if (s.tls) return InvalidArgumentError("tls", "cannot load the TLS certificate or key (--tls-cert, --tls-key)");
    return UnavailableError("cannot start the HTTP listener on " + s.settings.host + ":" + port_text, "bind_failed");
  }
  const int handlers = std::max(1, s.settings.threads);
  for (int i = 0; i < handlers; ++i) s.workers.emplace_back([&s] { s.Work(); });
  return Status::Ok();
}

int HttpServer::port() const { return impl_->port; }
bool HttpServer::tls() const { return impl_->tls; }

void HttpServer::Run() {
  Impl& s = *impl_;
  {
    std::unique_lock<std::mutex> lock(s.run_mu);
    s.run_cv.wait(lock, [&s] { return s.stop_requested; });
  }
  s.TearDown();
}

void HttpServer::Stop() {
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.run_mu);
    s.stop_requested = true;
  }
  s.run_cv.notify_all();
}

}  // namespace madoguchi::web
