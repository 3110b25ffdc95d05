// The HTTP listener on real sockets, with a handler that echoes what it was given: form fields as a
// browser sends them (urlencoded with '+' and %XX, multipart with a binary file), query strings,
// HEAD, the body limit, many idle keep-alive connections on few threads, and a handler that blocks
// without stalling the other connections.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "common/text.hpp"
#include "support/loopback.hpp"
#include "web/http/server.hpp"

namespace madoguchi::web {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  void Start(int handler_threads) {
    ServerSettings s;
    s.port = 0;
    s.threads = handler_threads;
    s.max_body_bytes = 1 << 20;
    s.idle_timeout_s = 5;
    server_ = std::make_unique<HttpServer>(s, [this](HttpRequest&& r) { return Echo(std::move(r)); });
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  HttpResponse Echo(HttpRequest&& r) {
    if (r.path == "/block") {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return released_; });
    }
    nlohmann::json params = nlohmann::json::object();
    // Text comes back as it is; a file (binary, or long) as its size.
    for (const auto& [k, v] : r.params) {
      params[k] = text::IsValidUtf8(v) && v.size() < 1000 ? v : std::to_string(v.size()) + " bytes";
    }
    HttpResponse out;
    out.body = nlohmann::json{{"method", r.method},          {"path", r.path},          {"params", params},
                              {"body_bytes", r.body.size()}, {"remote", r.remote_addr}, {"agent", r.Header("user-agent")}}
                   .dump();
    out.AddHeader("Set-Cookie", "a=1; Path=/").AddHeader("Set-Cookie", "b=2; Path=/");
    return out;
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
  }
  int port() const { return server_->port(); }

  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
};

TEST_F(ServerTest, FormFieldsArriveAsABrowserSendsThem) {
  Start(4);
  httplib::Client c("127.0.0.1", port());
  c.set_url_encode(false);  // send the query as a browser's GET form does, '+' for a space
  auto r = c.Post("/form?from=query&q=%E5%A4%A7+%E9%98%AA", "name=%E5%B1%B1%E7%94%B0+%E5%A4%AA%E9%83%8E&kana=&a=1%2B1",
                  "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["method"], "POST");
  EXPECT_EQ(j["path"], "/form");
  EXPECT_EQ(j["params"]["name"], "山田 太郎");
  EXPECT_EQ(j["params"]["a"], "1+1");
  EXPECT_EQ(j["params"]["kana"], "");
  EXPECT_EQ(j["params"]["from"], "query");
  EXPECT_EQ(j["params"]["q"], "大 阪");
  EXPECT_EQ(j["remote"], "127.0.0.1");
  EXPECT_EQ(r->get_header_value_count("Set-Cookie"), 2u);
}

TEST_F(ServerTest, MultipartFilesArriveWhole) {
  Start(4);
  std::string photo(300 * 1024, '\0');
  for (size_t i = 0; i < photo.size(); ++i) photo[i] = static_cast<char>((i * 7919) % 251);
  httplib::Client c("127.0.0.1", port());
  httplib::MultipartFormDataItems items = {
      {"csrf", "token123", "", ""}, {"file", photo, "kit.jpg", "image/jpeg"}, {"note", "陽性です", "", ""}};
  auto r = c.Post("/upload", items);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["params"]["csrf"], "token123");
  EXPECT_EQ(j["params"]["note"], "陽性です");
  EXPECT_EQ(j["params"]["file"], std::to_string(photo.size()) + " bytes");
}

TEST_F(ServerTest, HeadAnswersLikeGetWithoutABody) {
  Start(2);
  httplib::Client c("127.0.0.1", port());
  auto r = c.Head("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->body.empty());
}

TEST_F(ServerTest, TooLargeBodiesGet413AndTheServerGoesOn) {
  Start(2);
  httplib::Client c("127.0.0.1", port());
  auto r = c.Post("/api", std::string(2 << 20, 'x'), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("payload_too_large"), std::string::npos);
  // Chunked, with no length announced: counted as it arrives.
  size_t sent = 0;
  auto chunked = c.Post(
      "/api",
      [&sent](size_t, httplib::DataSink& sink) {
        std::string block(64 * 1024, 'y');
        if (sent < (3u << 20)) {
          sink.write(block.data(), block.size());
          sent += block.size();
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 413);
  auto ok = c.Get("/healthz");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

// Issue #9, item 17: a path is not cut at %00 (reject it), and a bad Content-Length gets one 400.
TEST_F(ServerTest, ANulInThePathIsRefusedNotCutShort) {
  Start(2);
  httplib::Client c("127.0.0.1", port());
  for (const char* path : {"/r/452041%00/../admin", "/api%00", "/x%00y?q=1"}) {
    auto r = c.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 400) << path;
    EXPECT_NE(r->body.find("%00"), std::string::npos) << r->body;
  }
  auto fine = c.Get("/a%20b?x=%00");  // a NUL in a query value is data, not a path
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
}

// A bad Content-Length is refused before any handler runs, and the connection closes. (Debian's
// libmicrohttpd 0.9.75 writes its 400 twice, the first without a body: a bug of the library,
// reproduced without our options; docs/security.md. Nothing of the request reaches a handler.)
TEST_F(ServerTest, ABadContentLengthGets400AndTheConnectionCloses) {
  Start(2);
  for (const char* length : {"12abc", "-1", "1 2"}) {
    const int fd = testing::ConnectLoopback(port());
    ASSERT_GE(fd, 0);
    const std::string req =
        std::string("POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: ") + length + "\r\nContent-Type: application/json\r\n\r\n{}";
    ASSERT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
    std::string got;
    char buf[4096];
    timeval tv{3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ssize_t n = 0;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, n);
    ::close(fd);
    EXPECT_EQ(n, 0) << "closed by the server, not timed out";
    EXPECT_TRUE(got.starts_with("HTTP/1.1 400 ")) << length << ": " << got;
    EXPECT_EQ(got.find("\"method\""), std::string::npos) << "no handler saw it";
  }
  httplib::Client c("127.0.0.1", port());
  auto ok = c.Get("/healthz");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST(ParseQueryStringTest, DecodesAsFormsEncode) {
  std::multimap<std::string, std::string> p;
  ParseQueryString("q=%E5%B1%B1+%E7%94%B0&empty=&flag&&a=1&a=2&bad=%zz%4&pct=100%", p);
  EXPECT_EQ(p.find("q")->second, "山 田");
  EXPECT_EQ(p.find("empty")->second, "");
  EXPECT_EQ(p.find("flag")->second, "");
  EXPECT_EQ(p.count("a"), 2u);
  EXPECT_EQ(p.find("bad")->second, "%zz%4");  // not an escape: kept as sent
  EXPECT_EQ(p.find("pct")->second, "100%");
  EXPECT_EQ(p.size(), 7u);
}

// Open keep-alive connections hold no thread: 400 of them on 2 handler threads, each used once and
// left open, and each still answers a second request.
TEST_F(ServerTest, IdleKeepAliveConnectionsHoldNoThread) {
  Start(2);
  std::vector<int> fds;
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  auto exchange = [&request](int fd) {
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return false;
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    std::string got;
    char buf[4096];
    while (got.find("}") == std::string::npos) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      got.append(buf, static_cast<size_t>(n));
    }
    return got.starts_with("HTTP/1.1 200");
  };
  for (int i = 0; i < 400; ++i) {
    const int fd = testing::ConnectLoopback(port());
    ASSERT_GE(fd, 0);
    fds.push_back(fd);
    ASSERT_TRUE(exchange(fd)) << "connection " << i;
  }
  for (size_t i = 0; i < fds.size(); ++i) EXPECT_TRUE(exchange(fds[i])) << "again on connection " << i;
  for (int fd : fds) ::close(fd);
}

// A handler waiting (on a database commit, say) does not stall other connections.
TEST_F(ServerTest, ABlockedHandlerDoesNotStallOtherConnections) {
  Start(2);
  auto blocked = std::async(std::launch::async, [this] {
    httplib::Client c("127.0.0.1", port());
    c.set_read_timeout(10, 0);
    auto r = c.Get("/block");
    return r ? r->status : -1;
  });
  httplib::Client c("127.0.0.1", port());
  for (int i = 0; i < 20; ++i) {
    auto r = c.Get("/healthz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(blocked.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  Release();
  EXPECT_EQ(blocked.get(), 200);
}

}  // namespace
}  // namespace madoguchi::web
