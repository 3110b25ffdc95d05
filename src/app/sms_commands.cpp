// `madoguchi sms parts` and `madoguchi sms hooks`: what a text costs as SMS, and the callback
// URLs Kannel needs (they carry the hook key derived from the database's signing secret).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "common/crypto.hpp"
#include "messaging/sms.hpp"
#include "web/hooks/sms_hooks.hpp"
#include "web/web_app.hpp"

namespace madoguchi::app {

int SmsParts(const std::string& text) {
  Result<messaging::SmsParts> parts = messaging::SplitSms(text);
  if (!parts.ok()) {
    std::fprintf(stderr, "madoguchi: --text: %s\n", parts.status().message().c_str());
    return kExitUsage;
  }
  nlohmann::json out = {
      {"encoding", std::string(messaging::SmsEncodingName(parts->encoding))}, {"units", parts->units}, {"parts", parts->parts()}};
  std::printf("%s\n", out.dump().c_str());
  return kExitOk;
}

int SmsHooks(const std::string& db_url, const std::string& callback_url) {
  if (!crypto::InitCrypto()) return kExitFailure;
  auto db = store::OpenDatabase(db_url);
  if (!db.ok()) {
    std::fprintf(stderr, "madoguchi: --db: %s\n", db.status().message().c_str());
    return db.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto secret = web::LoadSigningSecret(**db, SystemClock());
  if (!secret.ok()) {
    std::fprintf(stderr, "madoguchi: %s\n", secret.status().ToString().c_str());
    return kExitFailure;
  }
  std::string base = callback_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string key = web::SmsHookKey(*secret);
  // The reply URL with Kannel's escapes: %p the sender, %a the text, %I Kannel's id, %t the time.
  nlohmann::json out = {{"dlr_url", base + "/hooks/sms/dlr?key=" + key},
                        {"mo_url", base + "/hooks/sms/mo?key=" + key + "&from=%p&text=%a&mid=%I&ts=%t"}};
  std::printf("%s\n", out.dump().c_str());
  return kExitOk;
}

}  // namespace madoguchi::app
