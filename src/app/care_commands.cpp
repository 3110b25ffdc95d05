// `madoguchi triage defaults`: the default triage rule file, to start a tenant's own from.
// `madoguchi kit read FILE…`: the kit-photo pre-read on files, one JSON line each, for tests,
// benchmarks and staff checking a batch. Each photo goes the way an upload does: checked from
// its header, decoded upright, then read. docs/care.md.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/files.hpp"
#include "app/process_setup.hpp"
#include "care/follow_up.hpp"
#include "care/kit_read.hpp"
#include "care/photo.hpp"
#include "care/triage.hpp"
#include "common/crypto.hpp"
#include "formats/care_rules.hpp"
#include "formats/triage_rules.hpp"
#include "store/accounts/accounts.hpp"
#include "store/care/applications.hpp"
#include "store/care/follow_up.hpp"
#include "store/care/photo_files.hpp"
#include "store/care/settings.hpp"
#include "web/web_app.hpp"

namespace madoguchi::app {

namespace {

// `v` to `places` decimals, as JSON prints it shortest (20.4, not 20.400000000000002).
double Rounded(double v, int places) {
  const double scale = std::pow(10.0, places);
  return std::round(v * scale) / scale;
}

}  // namespace

int KitRead(const std::vector<std::string>& files) {
  int failed = 0;
  for (const std::string& file : files) {
    nlohmann::json line = {{"file", file}};
    const auto start = std::chrono::steady_clock::now();
    std::optional<std::string> bytes = ReadFile(file);
    if (!bytes) {
      line["error"] = {{"key", "cannot_read_file"}, {"message", "the file cannot be read"}};
      std::printf("%s\n", line.dump().c_str());
      ++failed;
      continue;
    }
    Result<care::CleanedPhoto> photo = care::CleanPhoto(*bytes);
    Result<care::KitReading> r = photo.ok() ? care::ReadKit(photo->bgr) : Result<care::KitReading>(photo.status());
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!r.ok()) {
      line["error"] = {{"key", r.status().key()}, {"message", r.status().message()}};
      std::printf("%s\n", line.dump().c_str());
      ++failed;
      continue;
    }
    line["category"] = std::string(care::KitCategoryName(r->category));
    line["control_line"] = Rounded(r->control_line, 3);
    line["test_line"] = Rounded(r->test_line, 3);
    line["test_line_seen"] = r->test_line_seen;
    line["template"] = r->template_name;
    line["edge_blur"] = Rounded(r->edge_blur, 1);
    line["glare_share"] = Rounded(r->glare_share, 3);
    line["ms"] = Rounded(ms, 1);
    std::printf("%s\n", line.dump().c_str());
  }
  std::fflush(stdout);
  return failed == 0 ? kExitOk : kExitFailure;
}

int CareSweep(const std::string& db_url, const std::string& files_dir) {
  SetUpLogging();
  if (!crypto::InitCrypto()) return kExitFailure;
  auto db = store::OpenDatabase(db_url, {});
  if (!db.ok()) {
    std::fprintf(stderr, "madoguchi: --db: %s\n", db.status().message().c_str());
    return kExitUsage;
  }
  store::PhotoFiles files(files_dir);
  int deleted = 0;
  Status s = store::WithConnection(**db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(deleted, store::SweepPhotos(c, files, SystemClock().NowMs()));
    return Status::Ok();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "madoguchi: %s\n", s.ToString().c_str());
    return kExitFailure;
  }
  std::printf("{\"deleted\": %d}\n", deleted);
  return kExitOk;
}

void RunPhotoSweeps(store::Database& db, const Clock& clock, const std::string& files_dir, std::chrono::milliseconds every,
                    std::atomic<bool>& stop) {
  store::PhotoFiles files(files_dir);
  auto next = std::chrono::steady_clock::now();
  while (!stop) {
    if (std::chrono::steady_clock::now() >= next) {
      Status s = store::WithConnection(db, [&](store::Connection& c) -> Status {
        MADOGUCHI_ASSIGN_OR_RETURN(int deleted, store::SweepPhotos(c, files, clock.NowMs()));
        if (deleted > 0) spdlog::info("msg=\"photos past their retention deleted\" count={}", deleted);
        return Status::Ok();
      });
      if (!s.ok()) spdlog::warn("msg=\"photo sweep failed; trying again later\" error=\"{}\"", s.ToString());
      next = std::chrono::steady_clock::now() + every;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Result<care::RoundCounts> RunCareRound(store::Database& db, const care::FollowUpService& follow_up) {
  // Each batch is its own short transaction, so a round over 100,000 patients never holds the
  // writer for long; a step that stopped at its limit is run again.
  constexpr int kBatch = 500;
  std::vector<std::string> tenants;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenants, store::TenantsInHomeCare(c));
    return Status::Ok();
  }));
  care::RoundCounts total;
  for (const std::string& tenant : tenants) {
    for (bool more = true; more;) {
      care::RoundCounts n;
      MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& c) -> Status {
        store::SqlFollowUpPort port(c);
        MADOGUCHI_ASSIGN_OR_RETURN(n, follow_up.Round(port, tenant, kBatch));
        return Status::Ok();
      }));
      total.sent += n.sent;
      total.reminded += n.reminded;
      total.missed += n.missed;
      total.ended += n.ended;
      // A full batch that changed nothing (another process took every row) is not run again.
      more = n.more && (n.sent + n.reminded + n.missed + n.ended) > 0;
    }
  }
  return total;
}

void RunCareRounds(store::Database& db, const Clock& clock, const std::string& secret, std::chrono::milliseconds every,
                   std::atomic<bool>& stop) {
  const care::FollowUpService follow_up(clock, secret);
  auto next = std::chrono::steady_clock::now();
  while (!stop) {
    if (std::chrono::steady_clock::now() >= next) {
      Result<care::RoundCounts> n = RunCareRound(db, follow_up);
      if (!n.ok()) {
        spdlog::warn("msg=\"health check-in round failed; trying again later\" error=\"{}\"", n.status().ToString());
      } else if (n->sent + n->reminded + n->missed + n->ended > 0) {
        spdlog::info("msg=\"health check-in round\" sent={} reminded={} missed={} ended={}", n->sent, n->reminded, n->missed, n->ended);
      }
      next = std::chrono::steady_clock::now() + every;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

int CareRound(const std::string& db_url) {
  SetUpLogging();
  if (!crypto::InitCrypto()) return kExitFailure;
  auto db = store::OpenDatabase(db_url, {});
  if (!db.ok()) {
    std::fprintf(stderr, "madoguchi: --db: %s\n", db.status().message().c_str());
    return kExitUsage;
  }
  auto secret = web::LoadSigningSecret(**db, SystemClock());
  if (!secret.ok()) {
    std::fprintf(stderr, "madoguchi: %s\n", secret.status().ToString().c_str());
    return kExitFailure;
  }
  const care::FollowUpService follow_up(SystemClock(), *secret);
  Result<care::RoundCounts> n = RunCareRound(**db, follow_up);
  if (!n.ok()) {
    std::fprintf(stderr, "madoguchi: %s\n", n.status().ToString().c_str());
    return kExitFailure;
  }
  std::printf("{\"sent\": %d, \"reminded\": %d, \"missed\": %d, \"ended\": %d}\n", n->sent, n->reminded, n->missed, n->ended);
  return kExitOk;
}

int CareSettingsCommand(const std::string& db_url, const CareSettingsOptions& o) {
  SetUpLogging();
  auto db = store::OpenDatabase(db_url, {});
  if (!db.ok()) {
    std::fprintf(stderr, "madoguchi: --db: %s\n", db.status().message().c_str());
    return kExitUsage;
  }
  std::optional<care::TriageRuleSet> triage;
  if (!o.triage_file.empty()) {
    std::optional<std::string> text = ReadFile(o.triage_file);
    if (!text) {
      std::fprintf(stderr, "madoguchi: --triage: cannot read %s\n", o.triage_file.c_str());
      return kExitUsage;
    }
    auto parsed = formats::ParseTriageRules(*text);
    if (!parsed.ok()) {
      std::fprintf(stderr, "madoguchi: --triage: %s%s%s\n", parsed.status().field().c_str(), parsed.status().field().empty() ? "" : ": ",
                   parsed.status().message().c_str());
      return kExitUsage;
    }
    triage = std::move(*parsed);
  }
  std::optional<std::string> rules_text;
  if (!o.rules_file.empty()) {
    rules_text = ReadFile(o.rules_file);
    if (!rules_text) {
      std::fprintf(stderr, "madoguchi: --rules: cannot read %s\n", o.rules_file.c_str());
      return kExitUsage;
    }
  }
  std::optional<int> minute;
  if (!o.check_in.empty()) {
    int h = -1, m = -1;
    char tail = 0;
    if (std::sscanf(o.check_in.c_str(), "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59) {
      std::fprintf(stderr, "madoguchi: --check-in: a time of day as HH:MM (e.g. 09:00), not \"%s\"\n", o.check_in.c_str());
      return kExitUsage;
    }
    minute = h * 60 + m;
  }
  care::CareSettings s;
  Status st = store::InTransaction(**db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto tenant, store::FindTenant(c, o.tenant));
    if (!tenant) return NotFoundError("no such tenant: " + o.tenant, "tenant_not_found");
    MADOGUCHI_ASSIGN_OR_RETURN(s, store::LoadCareSettings(c, o.tenant));
    if (!minute && o.remind_after == 0 && o.call_after == 0 && !triage && !rules_text) return Status::Ok();
    if (minute) s.check_in.send_minute = *minute;
    if (o.remind_after != 0) s.check_in.remind_after_minutes = o.remind_after;
    if (o.call_after != 0) s.check_in.call_after_minutes = o.call_after;
    if (triage) s.triage = *triage;
    if (rules_text) {
      MADOGUCHI_ASSIGN_OR_RETURN(s, formats::ParseCareRules(*rules_text, s));
    }
    return store::SaveCareSettings(c, o.tenant, s, SystemClock().NowMs());
  });
  if (!st.ok()) {
    std::fprintf(stderr, "madoguchi: %s%s%s\n", st.field().c_str(), st.field().empty() ? "" : ": ", st.message().c_str());
    return st.code() == StatusCode::kInvalidArgument || st.code() == StatusCode::kNotFound ? kExitUsage : kExitFailure;
  }
  char at[32];
  std::snprintf(at, sizeof at, "%02d:%02d", s.check_in.send_minute / 60, s.check_in.send_minute % 60);
  nlohmann::json j = {{"tenant", o.tenant},
                      {"check_in", at},
                      {"remind_after_minutes", s.check_in.remind_after_minutes},
                      {"call_after_minutes", s.check_in.call_after_minutes},
                      {"triage_version", s.triage.version},
                      {"triage_rules", s.triage.rules.size()},
                      {"rules", nlohmann::json::parse(formats::CareRulesJson(s))}};
  std::printf("%s\n", j.dump().c_str());
  return kExitOk;
}

int TriageDefaults() {
  std::printf("%s\n", formats::TriageRulesJson(care::DefaultTriageRules()).c_str());
  return kExitOk;
}

}  // namespace madoguchi::app
