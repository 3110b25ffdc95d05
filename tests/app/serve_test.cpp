// Black-box tests of `madoguchi serve`: start-up time, persistence across restarts, graceful
// shutdown on SIGTERM with a request in flight, and what the logs must not contain.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "app/process.hpp"
#include "support/loopback.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

constexpr const char* kPw = "serve test password";

class ServeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    dir_ = MakeTempDir();
    ASSERT_EQ(Cli({"tenant", "add", "--code", "452041", "--name", "日南市"}).exit_code, 0);
    auto user = Cli({"user", "add", "--login", "sup", "--role", "supervisor", "--tenant", "452041"}, std::string(kPw) + "\n");
    ASSERT_EQ(user.exit_code, 0) << user.err;
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      WaitExit(pid_, std::chrono::seconds(5));
    }
  }
  ProcessResult Cli(std::vector<std::string> args, const std::string& in = "") {
    return RunMadoguchi(std::move(args), tdb_->url(), dir_, in);
  }
  // Starts the server and waits for /healthz; returns how long that took.
  std::chrono::milliseconds Start() {
    port_ = FreePort();
    const auto t0 = std::chrono::steady_clock::now();
    pid_ = Spawn({MADOGUCHI_BINARY, "serve", "--db", tdb_->url(), "--listen", "127.0.0.1:" + std::to_string(port_)}, "",
                 dir_ + "/serve.out", dir_ + "/serve.err");
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(0, 200'000);
    while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10)) {
      auto r = c.Get("/healthz");
      if (r && r->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  }
  int Stop() {
    kill(pid_, SIGTERM);
    const int code = WaitExit(pid_, std::chrono::seconds(15));
    pid_ = -1;
    return code;
  }

  std::unique_ptr<TestDatabase> tdb_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_P(ServeTest, AnswersHealthzWithinFiveSecondsAndStopsCleanly) {
  const auto took = Start();
  EXPECT_LT(took, std::chrono::seconds(5));
  httplib::Client c("127.0.0.1", port_);
  auto r = c.Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(nlohmann::json::parse(r->body)["status"], "ok");
  EXPECT_EQ(Stop(), 0);
  const std::string log = ReadFile(dir_ + "/serve.err");
  EXPECT_NE(log.find("msg=listening"), std::string::npos) << log;
  EXPECT_NE(log.find("msg=stopped"), std::string::npos) << log;
}

TEST_P(ServeTest, DataAndSessionsSurviveARestart) {
  Start();
  httplib::Client c("127.0.0.1", port_);
  auto login = c.Post("/api/v1/session", nlohmann::json{{"login", "sup"}, {"password", kPw}}.dump(), "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string set = login->get_header_value("Set-Cookie");
  const std::string cookie = set.substr(0, set.find(';'));
  EXPECT_EQ(Stop(), 0);

  Start();
  httplib::Client c2("127.0.0.1", port_);
  auto me = c2.Get("/api/v1/tenants", {{"Cookie", cookie}});
  ASSERT_TRUE(me);
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(nlohmann::json::parse(me->body)["tenants"][0]["name"], "日南市");
  EXPECT_EQ(Stop(), 0);

  // Nothing secret or personal in the log.
  const std::string log = ReadFile(dir_ + "/serve.err");
  EXPECT_EQ(log.find(kPw), std::string::npos);
  EXPECT_EQ(log.find(cookie.substr(cookie.find('=') + 1)), std::string::npos);
  EXPECT_EQ(log.find("\"sup\""), std::string::npos);
  EXPECT_NE(log.find("rid="), std::string::npos);
}

TEST_P(ServeTest, SigtermLetsTheInFlightRequestFinish) {
  Start();
  const std::string body = nlohmann::json{{"login", "sup"}, {"password", kPw}}.dump();
  const int fd = ConnectLoopback(port_);
  ASSERT_GE(fd, 0);
  const std::string head =
      "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  const size_t half = body.size() / 2;
  ASSERT_GT(::send(fd, (head + body.substr(0, half)).data(), head.size() + half, MSG_NOSIGNAL), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid_, SIGTERM);  // the request is half-received
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_GT(::send(fd, body.data() + half, body.size() - half, MSG_NOSIGNAL), 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  char buf[256] = {0};
  const ssize_t n = ::recv(fd, buf, sizeof(buf) - 1, 0);
  ::close(fd);
  ASSERT_GT(n, 12);
  EXPECT_TRUE(std::string(buf).starts_with("HTTP/1.1 200")) << buf;
  EXPECT_EQ(WaitExit(pid_, std::chrono::seconds(15)), 0);
  pid_ = -1;
  // New connections are refused after the stop.
  httplib::Client c("127.0.0.1", port_);
  EXPECT_FALSE(c.Get("/healthz"));
}

// Issue #10 §3: a server that cannot load the shared signing secret does not start (it once ran
// with a secret of its own, whose cookies every other process refused).
// Issue #10 §4.1, black box: two `serve` processes on one database keep one waiting line. Five
// people already wait (numbers taken at other processes); a newcomer at either process takes a
// place behind them, and both processes' numbers are in the shared line. With a line per
// process, each newcomer walked straight in: that process's own line was empty.
TEST_P(ServeTest, TwoServersKeepOneWaitingLine) {
  {
    auto db = tdb_->Open(false);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(store::InTransaction(*db, [](store::Connection& c) {
                  return c.Query("UPDATE waiting_line SET issued = 5, served = 0 WHERE id = 1").status();
                }).ok());
  }
  auto serve = [&](int port, const std::string& name) {
    return Spawn(
        {MADOGUCHI_BINARY, "serve", "--db", tdb_->url(), "--listen", "127.0.0.1:" + std::to_string(port), "--admission-concurrency", "1"},
        "", dir_ + "/" + name + ".out", dir_ + "/" + name + ".err");
  };
  auto healthy = [](int port) {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(0, 200'000);
    for (int i = 0; i < 400; ++i) {
      if (auto r = c.Get("/healthz"); r && r->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  };
  const int port_a = FreePort();
  pid_ = serve(port_a, "a");
  const int port_b = FreePort();
  const pid_t pid_b = serve(port_b, "b");
  ASSERT_TRUE(healthy(port_a));
  ASSERT_TRUE(healthy(port_b));
  auto visit = [](int port) {
    httplib::Client c("127.0.0.1", port);
    return c.Get("/r/452041");
  };
  auto at_a = visit(port_a);
  ASSERT_TRUE(at_a);
  EXPECT_EQ(at_a->status, 200) << "a newcomer waits, not admitted (303)";
  EXPECT_NE(at_a->body.find("あなたの順番は"), std::string::npos) << at_a->body;
  // A's number reaches the database with its writer's next batch.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto at_b = visit(port_b);
  ASSERT_TRUE(at_b);
  EXPECT_EQ(at_b->status, 200);
  EXPECT_NE(at_b->body.find("あなたの順番は"), std::string::npos) << at_b->body;
  int64_t issued = 0;
  for (int i = 0; i < 40 && issued < 7; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto db = tdb_->Open(false);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(store::WithConnection(*db, [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT issued FROM waiting_line WHERE id = 1"));
                  issued = rows.at(0).Int(0);
                  return Status::Ok();
                }).ok());
  }
  EXPECT_EQ(issued, 7) << "five waiting, then one number from each process";
  kill(pid_b, SIGTERM);
  EXPECT_EQ(WaitExit(pid_b, std::chrono::seconds(15)), 0);
  EXPECT_EQ(Stop(), 0);
}

TEST_P(ServeTest, DoesNotStartWithoutTheSharedSigningSecret) {
  {
    auto db = tdb_->Open(false);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(store::InTransaction(*db, [](store::Connection& c) { return c.ExecuteScript("DROP TABLE server_secrets"); }).ok());
  }
  pid_ = Spawn({MADOGUCHI_BINARY, "serve", "--db", tdb_->url(), "--listen", "127.0.0.1:" + std::to_string(FreePort())}, "", dir_ + "/o",
               dir_ + "/e");
  EXPECT_EQ(WaitExit(pid_, std::chrono::seconds(10)), 1);
  pid_ = -1;
  EXPECT_NE(ReadFile(dir_ + "/e").find("cannot load the signing secret"), std::string::npos) << ReadFile(dir_ + "/e");
}

TEST_P(ServeTest, RefusesABadListenAddressWithAClearError) {
  pid_ = Spawn({MADOGUCHI_BINARY, "serve", "--db", tdb_->url(), "--listen", "nonsense"}, "", dir_ + "/o", dir_ + "/e");
  EXPECT_EQ(WaitExit(pid_, std::chrono::seconds(10)), 2);
  pid_ = -1;
  EXPECT_NE(ReadFile(dir_ + "/e").find("--listen"), std::string::npos);
}

TEST_P(ServeTest, ServesHttpsWithSecureCookies) {
  // A throwaway self-signed certificate, made the way an operator would.
  auto made = RunProcess({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir_ + "/key.pem", "-out",
                          dir_ + "/cert.pem", "-days", "1", "-subj", "/CN=127.0.0.1"},
                         dir_);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  port_ = FreePort();
  pid_ = Spawn({MADOGUCHI_BINARY, "serve", "--db", tdb_->url(), "--listen", "127.0.0.1:" + std::to_string(port_), "--tls-cert",
                dir_ + "/cert.pem", "--tls-key", dir_ + "/key.pem"},
               "", dir_ + "/serve.out", dir_ + "/serve.err");
  httplib::SSLClient c("127.0.0.1", port_);
  c.enable_server_certificate_verification(false);  // self-signed
  c.set_connection_timeout(0, 200'000);
  int health = 0;
  for (int i = 0; i < 200 && health != 200; ++i) {
    if (auto r = c.Get("/healthz")) health = r->status;
    else std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(health, 200) << ReadFile(dir_ + "/serve.err");
  auto login = c.Post("/api/v1/session", nlohmann::json{{"login", "sup"}, {"password", kPw}}.dump(), "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  EXPECT_NE(login->get_header_value("Set-Cookie").find("; Secure"), std::string::npos) << "cookies over TLS are Secure";
  EXPECT_TRUE(login->get_header_value("Set-Cookie").starts_with("__Host-madoguchi_session=")) << login->get_header_value("Set-Cookie");
  EXPECT_EQ(login->get_header_value("Strict-Transport-Security"), "max-age=31536000");
  // Plain HTTP on the TLS port gets nothing useful.
  httplib::Client plain("127.0.0.1", port_);
  plain.set_read_timeout(2);
  auto r = plain.Get("/healthz");
  EXPECT_TRUE(!r || r->status != 200);
  EXPECT_NE(ReadFile(dir_ + "/serve.err").find("url=https://127.0.0.1"), std::string::npos) << "the log says it serves HTTPS";
  EXPECT_EQ(Stop(), 0);
}

TEST_P(ServeTest, RefusesAnUnreadableCertificate) {
  std::ofstream(dir_ + "/bad.pem") << "not a certificate";
  auto r = RunProcess({MADOGUCHI_BINARY, "serve", "--db", tdb_->url(), "--listen", "127.0.0.1:0", "--tls-cert", dir_ + "/bad.pem",
                       "--tls-key", dir_ + "/bad.pem"},
                      dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tls"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeTest, ::testing::ValuesIn(Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::testing
