#include "app/bounces.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "app/commands.hpp"
#include "app/process_setup.hpp"
#include "common/crypto.hpp"
#include "formats/bounce_mail.hpp"
#include "messaging/bounce.hpp"
#include "store/outbox/delivery.hpp"
#include "web/web_app.hpp"

namespace madoguchi::app {
namespace {

namespace fs = std::filesystem;
constexpr int kExitTempFail = 75;  // sysexits.h EX_TEMPFAIL: the mail server keeps the message and tries again

enum class Use { kUsed, kUnusable };

Result<Use> Apply(store::Database& db, const Clock& clock, const std::string& key, const std::string& raw, BounceCounts& counts) {
  ++counts.read;
  Result<formats::BounceMail> mail = formats::ReadBounceMail(raw);
  if (!mail.ok()) {
    ++counts.not_reports;
    return Use::kUnusable;
  }
  const std::optional<int64_t> id = messaging::BouncedMessage(mail->addressed_to, key);
  if (!id) {
    ++counts.unmatched;
    return Use::kUnusable;
  }
  const messaging::BounceEffect effect = messaging::ClassifyBounce(mail->recipients);
  if (effect.kind == messaging::BounceEffect::Kind::kNone) {
    ++counts.not_reports;
    return Use::kUnusable;
  }
  store::BounceRecorded recorded;
  Status s = store::InTransaction(db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(recorded, store::RecordEmailBounce(c, *id, effect, clock.NowMs()));
    return Status::Ok();
  });
  if (s.key() == "unknown_message") {
    ++counts.unmatched;
    return Use::kUnusable;
  }
  MADOGUCHI_RETURN_IF_ERROR(s);
  if (!recorded.changed) {
    ++counts.unchanged;
    return Use::kUsed;
  }
  using Kind = messaging::BounceEffect::Kind;
  (effect.kind == Kind::kFailed ? counts.failed : effect.kind == Kind::kDelayed ? counts.delayed : counts.delivered)++;
  if (recorded.suppressed) ++counts.suppressed;
  spdlog::info("msg=\"email report\" message={} error=\"{}\" suppressed={}", *id, effect.error, recorded.suppressed);
  return Use::kUsed;
}

nlohmann::json ToJson(const BounceCounts& c) {
  return {{"read", c.read},           {"failed", c.failed},       {"suppressed", c.suppressed}, {"delayed", c.delayed},
          {"delivered", c.delivered}, {"unchanged", c.unchanged}, {"unmatched", c.unmatched},   {"not_reports", c.not_reports}};
}

}  // namespace

Status ApplyBounce(store::Database& db, const Clock& clock, const std::string& bounce_key, const std::string& raw, BounceCounts& counts) {
  return Apply(db, clock, bounce_key, raw, counts).status();
}

Result<BounceCounts> ApplyBounceMaildir(store::Database& db, const Clock& clock, const std::string& bounce_key,
                                        const std::string& maildir) {
  const fs::path dir(maildir);
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir / "new", ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) return FailedPreconditionError("cannot read " + (dir / "new").string() + ": " + ec.message(), "no_maildir");
  std::sort(files.begin(), files.end());  // Maildir names start with the time they came
  BounceCounts counts;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) continue;  // taken by another process scanning the same folder
    const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    MADOGUCHI_ASSIGN_OR_RETURN(Use use, Apply(db, clock, bounce_key, raw, counts));
    if (use == Use::kUsed) {
      fs::remove(f, ec);
    } else {
      fs::rename(f, dir / "cur" / (f.filename().string() + ":2,S"), ec);
    }
    if (ec) spdlog::warn("msg=\"cannot move a bounce out of new/\" file=\"{}\" error=\"{}\"", f.filename().string(), ec.message());
  }
  return counts;
}

void RunBounceScans(store::Database& db, const Clock& clock, const std::string& bounce_key, const std::string& maildir,
                    std::chrono::milliseconds every, std::atomic<bool>& stop) {
  auto next = std::chrono::steady_clock::now();
  while (!stop) {
    if (std::chrono::steady_clock::now() >= next) {
      Result<BounceCounts> n = ApplyBounceMaildir(db, clock, bounce_key, maildir);
      if (!n.ok()) {
        spdlog::warn("msg=\"bounce mailbox scan failed; trying again later\" error=\"{}\"", n.status().ToString());
      } else if (n->read > 0) {
        spdlog::info("msg=\"bounce mailbox\" counts={}", ToJson(*n).dump());
      }
      next = std::chrono::steady_clock::now() + every;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

int MailBounce(const std::string& db_url, const std::string& maildir) {
  SetUpLogging();
  if (!crypto::InitCrypto()) return kExitFailure;
  auto db = store::OpenDatabase(db_url, {});
  if (!db.ok()) {
    std::fprintf(stderr, "madoguchi: --db: %s\n", db.status().message().c_str());
    return db.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitTempFail;
  }
  auto secret = web::LoadSigningSecret(**db, SystemClock());
  if (!secret.ok()) {
    std::fprintf(stderr, "madoguchi: %s\n", secret.status().ToString().c_str());
    return kExitTempFail;
  }
  const std::string key = messaging::BounceKey(*secret);
  BounceCounts counts;
  if (maildir.empty()) {
    const std::string raw((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (Status s = ApplyBounce(**db, SystemClock(), key, raw, counts); !s.ok()) {
      std::fprintf(stderr, "madoguchi: %s\n", s.ToString().c_str());
      return kExitTempFail;
    }
  } else {
    Result<BounceCounts> n = ApplyBounceMaildir(**db, SystemClock(), key, maildir);
    if (!n.ok()) {
      std::fprintf(stderr, "madoguchi: --maildir: %s\n", n.status().message().c_str());
      return n.status().key() == "no_maildir" ? kExitUsage : kExitTempFail;
    }
    counts = *n;
  }
  std::printf("%s\n", ToJson(counts).dump().c_str());
  return kExitOk;
}

}  // namespace madoguchi::app
