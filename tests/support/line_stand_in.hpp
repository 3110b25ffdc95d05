// A local stand-in of LINE's Messaging API that follows the published request and response
// shapes (reply, push, bot info), recording what it was asked to send; and a webhook event as
// LINE sends one. For the tests of the LINE webhook.
#pragma once

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace madoguchi::testing {

inline constexpr const char* kLineSecret = "8c3b6f1e2d4a5b6c7d8e9f0a1b2c3d4e";  // 32 hex characters, like a real channel secret
inline constexpr const char* kLineToken = "stand-in-access-token";
inline constexpr const char* kLineUser = "U4af4980629a0b1c2d3e4f5a6b7c8d9e0";

// What the stand-in received.
struct Received {
  std::string path, body, retry_key, auth;
};

class LineStandIn {
 public:
  LineStandIn() {
    auto record = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      log_.push_back({req.path, req.body, req.get_header_value("X-Line-Retry-Key"), req.get_header_value("Authorization")});
      const auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (req.path == "/v2/bot/message/reply" && body.is_object() && body.value("replyToken", "").starts_with("expired")) {
        res.status = 400;
        res.set_content(R"({"message":"Invalid reply token"})", "application/json");
        return;
      }
      res.status = 200;
      res.set_content(R"({"sentMessages":[{"id":"461230966842064897","quoteToken":"IStG5h1Tz7b..."}]})", "application/json");
    };
    server_.Post("/v2/bot/message/reply", record);
    server_.Post("/v2/bot/message/push", record);
    server_.Get("/v2/bot/info", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("Authorization") != std::string("Bearer ") + kLineToken) {
        res.status = 401;
        res.set_content(R"({"message":"Authentication failed."})", "application/json");
        return;
      }
      res.set_content(R"({"userId":"Ub9952f8e0d6f1a2b3c4d5e6f7a8b9c0d","basicId":"@123abcde","displayName":"日南市ワクチン予約"})",
                      "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~LineStandIn() {
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Received> log() {
    std::lock_guard lock(mu_);
    return log_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Received> log_;
};

// One event of `user` in a webhook body.
inline std::string Event(const std::string& id, const std::string& type, const nlohmann::json& extra, const std::string& reply = "",
                         bool redelivery = false, const std::string& user = kLineUser) {
  nlohmann::json e = {{"type", type},
                      {"mode", "active"},
                      {"timestamp", 1795000000000LL},
                      {"source", {{"type", "user"}, {"userId", user}}},
                      {"webhookEventId", id},
                      {"deliveryContext", {{"isRedelivery", redelivery}}}};
  if (!reply.empty()) e["replyToken"] = reply;
  for (const auto& [k, v] : extra.items()) e[k] = v;
  return nlohmann::json({{"destination", "Uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, {"events", {e}}}).dump();
}

}  // namespace madoguchi::testing
