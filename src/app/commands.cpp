// The administrative subcommands: migrate, tenant, user, token, demo, routes.
#include "app/commands.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "accounts/accounts.hpp"
#include "app/files.hpp"
#include "booking/booking.hpp"
#include "booking/vrs.hpp"
#include "common/crypto.hpp"
#include "common/csv.hpp"
#include "common/password_dictionary.hpp"
#include "common/tenant_code.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"
#include "messaging/campaign.hpp"
#include "messaging/segment.hpp"
#include "store/accounts/accounts.hpp"
#include "store/audit/audit_log.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "store/migrations.hpp"
#include "store/outbox/campaigns.hpp"
#include "store/outbox/delivery.hpp"
#include "web/web_app.hpp"

namespace madoguchi::app {
namespace {

int Fail(const Status& s) {
  std::fprintf(stderr, "madoguchi: %s\n", s.ToString().c_str());
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kAlreadyExists || s.code() == StatusCode::kNotFound
             ? kExitUsage
             : kExitFailure;
}

// Opens the database and brings its schema up to date.
Result<std::unique_ptr<store::Database>> Open(const std::string& url) {
  if (!crypto::InitCrypto()) return InternalError("libsodium failed to initialize");
  MADOGUCHI_ASSIGN_OR_RETURN(auto db, store::OpenDatabase(url));
  MADOGUCHI_RETURN_IF_ERROR(store::Migrate(*db).status());
  return db;
}

std::string CliActor() {
  const passwd* pw = getpwuid(getuid());
  return std::string("cli:") + (pw ? pw->pw_name : std::to_string(getuid()));
}

store::AuditEntry CliAudit(std::optional<std::string> tenant, std::string action, std::string record) {
  store::AuditEntry e;
  e.at_ms = SystemClock().NowMs();
  e.actor_login = CliActor();
  e.actor_role = "cli";
  e.tenant_code = std::move(tenant);
  e.action = std::move(action);
  e.record = std::move(record);
  e.source_addr = "cli";
  e.request_id = "cli";
  return e;
}

// Reads a password from stdin: with a prompt and no echo on a terminal, else the first line.
Result<std::string> ReadPassword(const std::string& login) {
  const bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::fprintf(stderr, "Password: ");
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
  }
  if (!got) return InvalidArgumentError("stdin", "no password given on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  MADOGUCHI_RETURN_IF_ERROR(accounts::ValidateNewPassword(line, login, "stdin (password)"));
  MADOGUCHI_RETURN_IF_ERROR(crypto::CheckNotCommonPassword(line, login, "stdin (password)"));
  return line;
}

}  // namespace

int Migrate(const std::string& url) {
  if (!crypto::InitCrypto()) return Fail(InternalError("libsodium failed to initialize"));
  auto db = store::OpenDatabase(url);
  if (!db.ok()) return Fail(db.status());
  auto report = store::Migrate(**db);
  if (!report.ok()) return Fail(report.status());
  std::printf("schema version %d -> %d (%d applied)\n", report->from_version, report->to_version, report->applied);
  return kExitOk;
}

int TenantAdd(const std::string& url, const std::string& code, const std::string& name) {
  if (Status s = ValidateTenantCode(code, "--code"); !s.ok()) return Fail(s);
  if (Status s = accounts::ValidateDisplayName(name, "--name"); !s.ok()) return Fail(s);
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    Status inserted = store::InsertTenant(conn, store::Tenant{code, name, SystemClock().NowMs()});
    if (!inserted.ok() && inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExistsError("--code", inserted.message());
    }
    MADOGUCHI_RETURN_IF_ERROR(inserted);
    return store::AppendAudit(conn, CliAudit(code, "tenant.create", "tenant:" + code));
  });
  if (!s.ok()) return Fail(s);
  std::printf("tenant %s %s added\n", code.c_str(), name.c_str());
  return kExitOk;
}

int ResidentsImport(const std::string& url, const std::string& tenant, const std::string& file) {
  if (Status s = ValidateTenantCode(tenant, "--tenant"); !s.ok()) return Fail(s);
  auto bytes = ReadFile(file);
  if (!bytes) return Fail(InvalidArgumentError(file, "cannot read the file"));
  auto text = csv::ToUtf8(*bytes);
  if (!text.ok()) return Fail(Status(text.status().code(), text.status().key(), text.status().message(), file + ": encoding"));
  const std::vector<std::string> header(std::begin(booking::kResidentColumns), std::end(booking::kResidentColumns));
  auto rows = csv::ReadCsvWithHeader(*text, header);
  if (!rows.ok())
    return Fail(Status(rows.status().code(), rows.status().key(), rows.status().message(), file + ": " + rows.status().field()));
  const booking::ImportCheck check = booking::ValidateResidentList(*rows, JapanDay(SystemClock().NowMs()));
  if (!check.problems.empty()) {
    // The whole file is rejected: one line per problem, then a summary.
    for (const auto& p : check.problems) {
      std::fprintf(stderr, "%s: row %d%s%s: %s\n", file.c_str(), p.row, p.field.empty() ? "" : ", ", p.field.c_str(), p.reason.c_str());
    }
    std::fprintf(stderr, "madoguchi: %s: %zu problems in %zu rows; nothing was imported\n", file.c_str(), check.problems.size(),
                 rows->size());
    return kExitUsage;
  }
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  booking::ImportCounts counts;
  const booking::BookingService service(SystemClock());
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto t, store::FindTenant(conn, tenant));
    if (!t) return NotFoundError("no such tenant (add it with `madoguchi tenant add`)", "tenant_not_found");
    store::SqlBookingPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(counts, service.ImportTargetList(port, tenant, check.residents));
    return store::AppendAudit(conn, CliAudit(tenant, "residents.import", "residents:" + std::to_string(check.residents.size())));
  });
  if (!s.ok()) {
    if (s.field().starts_with("row ")) return Fail(Status(s.code(), s.key(), s.message(), file + ": " + s.field()));
    return Fail(s);
  }
  std::printf("%zu residents: %d added, %d updated\n", check.residents.size(), counts.inserted, counts.updated);
  return kExitOk;
}

int BookingsCheck(const std::string& url, const std::string& tenant, const std::string& codes_file) {
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  std::vector<std::string> codes;
  if (!codes_file.empty()) {
    std::ifstream in(codes_file);
    if (!in) return Fail(InvalidArgumentError("--codes", "cannot read " + codes_file));
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) codes.push_back(line);
    }
  }
  int64_t missing = 0, not_booked = 0, over = 0, mismatch = 0, active = 0;
  Status s = store::WithConnection(**db, [&](store::Connection& conn) -> Status {
    for (const auto& code : codes) {
      MADOGUCHI_ASSIGN_OR_RETURN(auto b, store::FindBookingByCode(conn, tenant, code));
      if (!b) ++missing;
      else if (b->state != booking::State::kBooked) ++not_booked;
    }
    MADOGUCHI_ASSIGN_OR_RETURN(active, store::CountActiveBookings(conn, tenant));
    store::SlotFilter all;
    all.limit = 1'000'000;
    MADOGUCHI_ASSIGN_OR_RETURN(auto slots, store::ListSlots(conn, tenant, all));
    for (const auto& slot : slots) {
      MADOGUCHI_ASSIGN_OR_RETURN(int64_t n, store::CountSeatHolders(conn, tenant, slot.id));
      over += n > slot.capacity;
      mismatch += n != slot.booked;
    }
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s);
  std::printf(
      "{\"codes\":%zu,\"missing\":%lld,\"not_booked\":%lld,\"active_bookings\":%lld,"
      "\"slots_over_capacity\":%lld,\"slot_count_mismatch\":%lld}\n",
      codes.size(), static_cast<long long>(missing), static_cast<long long>(not_booked), static_cast<long long>(active),
      static_cast<long long>(over), static_cast<long long>(mismatch));
  return missing + not_booked + over + mismatch == 0 ? kExitOk : kExitFailure;
}

int VrsExport(const std::string& url, const std::string& tenant, const std::string& encoding, const std::string& out) {
  if (Status s = ValidateTenantCode(tenant, "--tenant"); !s.ok()) return Fail(s);
  if (encoding != "utf-8" && encoding != "cp932") return Fail(InvalidArgumentError("--encoding", "must be utf-8 or cp932"));
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  std::vector<booking::VrsPerson> people;
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(people, store::VrsExport(conn, tenant));
    return store::AppendAudit(conn, CliAudit(tenant, "vrs.export", "people:" + std::to_string(people.size())));
  });
  if (!s.ok()) return Fail(s);
  int doses = 2;
  for (const auto& p : people) {
    for (const auto& d : p.doses) doses = std::max(doses, d.dose);
  }
  std::string text = csv::CsvLine(booking::VrsHeader(doses));
  for (const auto& p : people) text += csv::CsvLine(booking::VrsRow(p, doses));
  if (encoding == "cp932") {
    auto converted = csv::Utf8ToCp932(text);
    if (!converted.ok()) return Fail(converted.status());
    text = *converted;
  } else {
    text = "\xEF\xBB\xBF" + text;  // BOM: spreadsheet programs then read UTF-8
  }
  if (out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else if (!WriteAtomically(out, text)) {
    return Fail(UnavailableError("cannot write " + out));
  }
  std::fprintf(stderr, "madoguchi: %zu people, doses 1..%d, %s\n", people.size(), doses, encoding.c_str());
  return kExitOk;
}

int VrsImport(const std::string& url, const std::string& tenant, const std::string& file) {
  if (Status s = ValidateTenantCode(tenant, "--tenant"); !s.ok()) return Fail(s);
  auto bytes = ReadFile(file);
  if (!bytes) return Fail(InvalidArgumentError(file, "cannot read the file"));
  auto text = csv::ToUtf8(*bytes);
  if (!text.ok()) return Fail(Status(text.status().code(), text.status().key(), text.status().message(), file + ": encoding"));
  auto csv = csv::ReadCsv(*text);
  if (!csv.ok()) return Fail(Status(csv.status().code(), csv.status().key(), csv.status().message(), file + ": " + csv.status().field()));
  auto report = [&](const std::vector<booking::RowProblem>& problems, size_t rows) {
    for (const auto& p : problems) {
      std::fprintf(stderr, "%s: row %d%s%s: %s\n", file.c_str(), p.row, p.field.empty() ? "" : ", ", p.field.c_str(), p.reason.c_str());
    }
    std::fprintf(stderr, "madoguchi: %s: %zu problems in %zu rows; nothing was imported\n", file.c_str(), problems.size(), rows);
    return kExitUsage;
  };
  const booking::VrsImport parsed = booking::ParseVrs(csv->first, csv->second, JapanDay(SystemClock().NowMs()));
  if (!parsed.problems.empty()) return report(parsed.problems, csv->second.size());
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  booking::VrsReconcile result;
  const booking::BookingService service(SystemClock());
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    store::SqlBookingPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(result, service.ReconcileVrs(port, tenant, parsed.people));
    if (!result.problems.empty()) return InvalidArgumentError("rows", "disagree with our records", "vrs_rejected");
    return store::AppendAudit(conn, CliAudit(tenant, "vrs.import", "people:" + std::to_string(result.people)));
  });
  if (s.key() == "vrs_rejected") return report(result.problems, csv->second.size());
  if (!s.ok()) return Fail(s);
  std::printf("%d people: %d doses already recorded and agreeing, %d added\n", result.people, result.doses_matched, result.doses_added);
  return kExitOk;
}

int AuditSecurity(const std::string& url, int limit) {
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  std::vector<store::AuditEntry> entries;
  Status s = store::WithConnection(**db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(entries, store::ListPlatformAudit(conn, limit));
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s);
  std::printf("at_utc\tactor\trole\taction\trecord\tsource\n");
  for (const auto& e : entries) {
    std::printf("%s\t%s\t%s\t%s\t%s\t%s\n", FormatUtcIso(e.at_ms).c_str(), e.actor_login.c_str(), e.actor_role.c_str(), e.action.c_str(),
                e.record.c_str(), e.source_addr.c_str());
  }
  return kExitOk;
}

int TenantList(const std::string& url) {
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  std::vector<store::Tenant> tenants;
  Status s = store::WithConnection(**db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenants, store::ListTenants(conn, std::nullopt));
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s);
  for (const auto& t : tenants) std::printf("%s\t%s\n", t.code.c_str(), t.name.c_str());
  return kExitOk;
}

int UserAdd(const std::string& url, const std::string& login, const std::string& role_name, const std::string& tenant_list,
            const std::string& display_name) {
  if (Status s = accounts::ValidateLogin(login, "--login"); !s.ok()) return Fail(s);
  auto role = accounts::ParseRole(role_name, "--role");
  if (!role.ok()) return Fail(role.status());
  auto tenants = accounts::ParseTenantList(tenant_list, "--tenant");
  if (!tenants.ok()) return Fail(tenants.status());
  const std::string name = display_name.empty() ? login : display_name;
  if (Status s = accounts::ValidateDisplayName(name, "--name"); !s.ok()) return Fail(s);
  auto password = ReadPassword(login);
  if (!password.ok()) return Fail(password.status());
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  auto hash = crypto::HashPassword(*password);
  if (!hash.ok()) return Fail(hash.status());
  store::NewUser user{login, name, *role, *hash, *tenants, SystemClock().NowMs()};
  int64_t id = 0;
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    auto inserted = store::InsertUser(conn, user);
    if (!inserted.ok()) {
      const Status& e = inserted.status();
      const std::string field = e.field() == "login" ? "--login" : e.field() == "tenant" ? "--tenant" : e.field();
      return Status(e.code(), e.key(), e.message(), field);
    }
    id = *inserted;
    for (const auto& t : user.tenants) {
      MADOGUCHI_RETURN_IF_ERROR(store::AppendAudit(conn, CliAudit(t, "user.create", "user:" + std::to_string(id))));
    }
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s);
  std::printf("user %s (%s) added with id %lld\n", login.c_str(), accounts::RoleName(*role), static_cast<long long>(id));
  return kExitOk;
}

int UserList(const std::string& url, const std::string& tenant) {
  if (!tenant.empty()) {
    if (Status s = ValidateTenantCode(tenant, "--tenant"); !s.ok()) return Fail(s);
  }
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  std::vector<store::User> users;
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(users, store::ListUsers(conn, tenant.empty() ? std::nullopt : std::optional<std::string>(tenant)));
    return store::AppendAudit(conn, CliAudit(tenant.empty() ? std::nullopt : std::optional<std::string>(tenant), "user.list",
                                             tenant.empty() ? "all" : "tenant:" + tenant));
  });
  if (!s.ok()) return Fail(s);
  for (const auto& u : users) {
    std::string tenants;
    for (const auto& t : u.tenants) tenants += (tenants.empty() ? "" : ",") + t;
    std::printf("%lld\t%s\t%s\t%s\t%s%s\n", static_cast<long long>(u.id), u.login.c_str(), accounts::RoleName(u.role), tenants.c_str(),
                u.display_name.c_str(), u.disabled ? "\t(disabled)" : "");
  }
  return kExitOk;
}

int UserPasswd(const std::string& url, const std::string& login) {
  auto password = ReadPassword(login);
  if (!password.ok()) return Fail(password.status());
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  auto hash = crypto::HashPassword(*password);
  if (!hash.ok()) return Fail(hash.status());
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto found, store::FindUserByLogin(conn, login));
    if (!found) return NotFoundError("no user with login " + login, "unknown_user");
    MADOGUCHI_RETURN_IF_ERROR(store::SetPasswordHash(conn, found->first.id, *hash, SystemClock().NowMs()));
    // A new password lets the person in at once, even while their login is throttled.
    MADOGUCHI_RETURN_IF_ERROR(store::ClearGuessFailures(conn, "staff", login));
    return store::AppendAudit(conn, CliAudit(std::nullopt, "user.passwd", "user:" + std::to_string(found->first.id)));
  });
  if (!s.ok()) return Fail(s.code() == StatusCode::kNotFound ? NotFoundError(s.message(), "--login") : s);
  std::printf("password of %s changed; their sessions and API tokens were ended and failed logins forgotten\n", login.c_str());
  return kExitOk;
}

int TokenAdd(const std::string& url, const std::string& login, const std::string& name, int64_t expires_days,
             const std::string& scope_name) {
  if (Status s = accounts::ValidateDisplayName(name, "--name"); !s.ok()) return Fail(s);
  auto scope = accounts::ParseTokenScope(scope_name, "--scope");
  if (!scope.ok()) return Fail(scope.status());
  const int64_t now = SystemClock().NowMs();
  auto expires = accounts::TokenExpiresAtMs(accounts::TokenPolicy{}, now, expires_days, "--expires-days");
  if (!expires.ok()) return Fail(expires.status());
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  const std::string token = "mdg_" + crypto::RandomToken(32);
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto found, store::FindUserByLogin(conn, login));
    if (!found) return InvalidArgumentError("--login", "no user with this login", "unknown_user");
    if (found->first.disabled) return InvalidArgumentError("--login", "this user is disabled", "user_disabled");
    MADOGUCHI_ASSIGN_OR_RETURN(int64_t id,
                               store::InsertApiToken(conn, found->first.id, name, crypto::Sha256Hex(token), now, *expires, *scope));
    return store::AppendAudit(conn, CliAudit(std::nullopt, "api_token.create", "api_token:" + std::to_string(id)));
  });
  if (!s.ok()) return Fail(s);
  std::printf("%s\n", token.c_str());
  std::fprintf(stderr, "send it as 'Authorization: Bearer <token>'; it is not shown again; it ends on %s (UTC)\n",
               FormatUtcIso(*expires).c_str());
  return kExitOk;
}

int UserDisable(const std::string& url, const std::string& login, bool disabled) {
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto found, store::FindUserByLogin(conn, login));
    if (!found) return InvalidArgumentError("--login", "no user with this login", "unknown_user");
    MADOGUCHI_RETURN_IF_ERROR(store::SetUserDisabled(conn, found->first.id, disabled, SystemClock().NowMs()));
    return store::AppendAudit(conn,
                              CliAudit(std::nullopt, disabled ? "user.disable" : "user.enable", "user:" + std::to_string(found->first.id)));
  });
  if (!s.ok()) return Fail(s);
  std::printf(disabled ? "%s is disabled; their sessions and API tokens were ended\n" : "%s is enabled\n", login.c_str());
  return kExitOk;
}

int Demo(const std::string& url, const std::string& credentials_file) {
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  struct DemoUser {
    const char* login;
    const char* name;
    accounts::Role role;
  };
  const DemoUser kUsers[] = {{"demo-admin", "管理 太郎", accounts::Role::kAdmin},
                             {"demo-supervisor", "監督 花子", accounts::Role::kSupervisor},
                             {"demo-operator", "受付 一郎", accounts::Role::kOperator},
                             {"demo-doctor", "医師 次郎", accounts::Role::kDoctor},
                             {"demo-city", "市役所 三郎", accounts::Role::kCityStaff}};
  const std::vector<store::Tenant> kTenants = {{"452041", "日南市", 0}, {"131016", "千代田区", 0}};
  std::string credentials;
  bool created = false;
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    credentials.clear();
    created = false;
    MADOGUCHI_ASSIGN_OR_RETURN(auto existing, store::FindUserByLogin(conn, "demo-admin"));
    if (existing) return Status::Ok();
    const int64_t now = SystemClock().NowMs();
    for (auto t : kTenants) {
      MADOGUCHI_ASSIGN_OR_RETURN(auto found, store::FindTenant(conn, t.code));
      if (found) continue;
      t.created_at_ms = now;
      MADOGUCHI_RETURN_IF_ERROR(store::InsertTenant(conn, t));
      MADOGUCHI_RETURN_IF_ERROR(store::AppendAudit(conn, CliAudit(t.code, "tenant.create", "tenant:" + t.code)));
    }
    for (const auto& u : kUsers) {
      const std::string password = crypto::RandomToken(12);
      MADOGUCHI_ASSIGN_OR_RETURN(std::string hash, crypto::HashPassword(password));
      std::vector<std::string> tenants{"452041"};
      if (u.role == accounts::Role::kAdmin) tenants.push_back("131016");
      MADOGUCHI_ASSIGN_OR_RETURN(int64_t id, store::InsertUser(conn, {u.login, u.name, u.role, hash, tenants, now}));
      MADOGUCHI_RETURN_IF_ERROR(store::AppendAudit(conn, CliAudit("452041", "user.create", "user:" + std::to_string(id))));
      credentials += std::string(u.login) + "\t" + password + "\t" + accounts::RoleName(u.role) + "\n";
    }
    // Booking demo: 20 residents, two venues, two weeks of morning slots.
    std::vector<booking::Resident> residents;
    const char* kana[] = {"ニチナン ハナコ", "アブラツ タロウ", "オビ ジロウ", "キタゴウ サブロウ", "ナンゴウ シロウ"};
    for (int i = 0; i < 20; ++i) {
      booking::Resident r;
      r.address_number = std::to_string(100001 + i);
      r.ticket_number = std::to_string(4520410001LL + i);
      r.name = std::string("住民 ") + std::to_string(i + 1);
      r.name_kana = kana[i % 5];
      r.birth_date = *ParseIsoDate("19" + std::to_string(35 + i) + "-04-01");
      r.address = "宮崎県日南市";
      r.phone = "0987-00-" + std::to_string(1000 + i);
      residents.push_back(r);
    }
    const booking::BookingService service(SystemClock());
    store::SqlBookingPort port(conn);
    MADOGUCHI_RETURN_IF_ERROR(service.ImportTargetList(port, "452041", residents).status());
    MADOGUCHI_RETURN_IF_ERROR(
        store::AppendAudit(conn, CliAudit("452041", "residents.import", "residents:" + std::to_string(residents.size()) + " (demo)")));
    booking::Guidance guidance;
    guidance.phone = "0987-31-1100";
    guidance.hours = "毎日 8:30〜17:15（土日・祝日も）";
    MADOGUCHI_RETURN_IF_ERROR(store::SaveTenantGuidance(conn, "452041", guidance, now));
    const booking::Day today = JapanDay(now);
    for (const auto& [name, address] :
         {std::pair{"日南市文化センター", "宮崎県日南市中央通1-1"}, {"南郷体育館", "宮崎県日南市南郷町中村乙"}}) {
      MADOGUCHI_ASSIGN_OR_RETURN(int64_t venue, store::InsertVenue(conn, "452041", {name, address}, now));
      for (int day = 1; day <= 14; ++day) {
        for (int half = 0; half < 6; ++half) {
          const int64_t start = JapanMidnightMs(today + std::chrono::days{day}) + (9 * 60 + half * 30) * 60'000LL;
          MADOGUCHI_RETURN_IF_ERROR(store::InsertSlot(conn, "452041", venue, {start, start + 1'800'000, 10, "pfizer", 1}, now).status());
        }
      }
    }
    credentials +=
        "# residents' booking: http://127.0.0.1:8080/r/452041  with 券番号 4520410001, 生年月日 1935-04-01 (…0002: 1936-04-01, …)\n";
    created = true;
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s);
  if (created) {
    std::ofstream out(credentials_file, std::ios::trunc);
    out << "# demo accounts (login, password, role) — created " << FormatUtcIso(SystemClock().NowMs()) << "\n" << credentials;
    out.close();
    chmod(credentials_file.c_str(), 0600);
  }
  std::ifstream in(credentials_file);
  std::printf("Demo municipality: 日南市 (452041); the admin also serves 千代田区 (131016).\n");
  if (!in) {
    std::printf("Demo accounts exist, but %s is gone; set a password with: madoguchi user passwd --login demo-admin\n",
                credentials_file.c_str());
    return kExitOk;
  }
  std::printf("Demo accounts (from %s):\n", credentials_file.c_str());
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && (line[0] != '#' || line.find("residents") != std::string::npos)) std::printf("  %s\n", line.c_str());
  }
  return kExitOk;
}

int Routes() {
  // The table alone: no database, no keys.
  const web::Router table = web::WebApp::RouteTable();
  std::printf("| method | path | kind | roles | tenant-scoped | what |\n|---|---|---|---|---|---|\n");
  for (const auto& r : table.routes()) {
    std::printf("| %s | `%s` | %s | %s | %s | %s |\n", r.method.c_str(), r.pattern.c_str(), r.kind == web::RouteKind::kApi ? "api" : "page",
                r.is_public() ? "public" : r.roles.ToString().c_str(), r.tenant_scoped() ? "yes" : "no", r.summary.c_str());
  }
  return kExitOk;
}

namespace {

nlohmann::json CampaignJson(const store::CampaignRecord& c) {
  nlohmann::json by_state = nlohmann::json::object();
  for (const auto& [state, n] : c.by_state) by_state[state] = n;
  return {{"id", c.id},
          {"name", c.name},
          {"state", std::string(messaging::CampaignStateName(c.Shown(SystemClock().NowMs())))},
          {"starts_at", FormatTokyoIso(c.starts_at_ms)},
          {"recipients", c.recipients},
          {"parts", c.parts},
          {"cost_yen", static_cast<double>(c.cost_sen) / 100.0},
          {"messages", by_state},
          {"replies", c.replies}};
}

}  // namespace

int CampaignSend(const CampaignSendOptions& o) {
  if (Status s = ValidateTenantCode(o.tenant, "--tenant"); !s.ok()) return Fail(s);
  std::string body = o.text;
  if (!o.text_file.empty()) {
    auto t = ReadFile(o.text_file);
    if (!t) return Fail(InvalidArgumentError("--text-file", "cannot read the file"));
    body = text::Trim(*t);
  }
  int64_t starts_at = SystemClock().NowMs();
  if (!o.at.empty()) {
    auto at = ParseIsoInstant(o.at);
    if (!at) return Fail(InvalidArgumentError("--at", "must be a time such as 2026-12-03T09:00:00+09:00"));
    starts_at = *at;
  }
  std::optional<messaging::Segment> segment;
  std::string list_csv;
  if (o.csv.empty() && o.segment.empty()) return Fail(InvalidArgumentError("--csv", "give --csv FILE or --segment SPEC"));
  if (!o.segment.empty()) {
    auto parsed = messaging::ParseSegment(o.segment, "--segment");
    if (!parsed.ok()) return Fail(parsed.status());
    segment = *parsed;
  } else {
    auto bytes = ReadFile(o.csv);
    if (!bytes) return Fail(InvalidArgumentError("--csv", "cannot read the file"));
    auto utf8 = csv::ToUtf8(*bytes);
    if (!utf8.ok()) return Fail(Status(utf8.status().code(), utf8.status().key(), utf8.status().message(), o.csv + ": encoding"));
    list_csv = std::move(*utf8);
  }
  auto db = Open(o.db);
  if (!db.ok()) return Fail(db.status());
  messaging::SendingSettings settings;
  int64_t unreachable = 0;
  Status got = store::WithConnection(**db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto t, store::FindTenant(c, o.tenant));
    if (!t) return NotFoundError("no such tenant (add it with `madoguchi tenant add`)", "tenant_not_found");
    MADOGUCHI_ASSIGN_OR_RETURN(settings, store::GetSendingSettings(c, o.tenant));
    if (segment) {
      MADOGUCHI_ASSIGN_OR_RETURN(store::RecipientList list, store::SegmentList(c, o.tenant, *segment));
      list_csv = std::move(list.csv);
      unreachable = list.unreachable;
    }
    return Status::Ok();
  });
  if (!got.ok()) return Fail(got);
  const std::string source = segment ? o.segment : o.csv;
  auto table = csv::ReadCsv(list_csv);
  if (!table.ok())
    return Fail(Status(table.status().code(), table.status().key(), table.status().message(), source + ": " + table.status().field()));
  if (segment && table->second.empty())
    return Fail(InvalidArgumentError("--segment", "nobody in the segment can be reached now", "segment_empty"));
  auto plan =
      messaging::PlanCampaign(body, table->first, table->second, settings, messaging::PlanOptions{.repeats_allowed = segment.has_value()});
  if (!plan.ok()) return Fail(plan.status());
  if (!plan->problems.empty()) {
    for (const auto& p : plan->problems) {
      std::fprintf(stderr, "%s: row %d%s%s: %s (%s)\n", source.c_str(), p.row, p.column.empty() ? "" : ", ", p.column.c_str(),
                   p.message.c_str(), p.key.c_str());
    }
    std::fprintf(stderr, "madoguchi: %s: %zu problems; nothing was queued\n", source.c_str(), plan->problems.size());
    return kExitUsage;
  }
  nlohmann::json out = {{"recipients", plan->recipients.size()},
                        {"parts", plan->total_parts},
                        {"max_parts_per_message", plan->max_parts},
                        {"cost_yen", static_cast<double>(plan->cost_sen) / 100.0},
                        {"sample", plan->recipients.front().text},
                        {"starts_at", FormatTokyoIso(starts_at)},
                        {"by_email", plan->by_email}};
  if (segment) out["unreachable"] = unreachable;
  if (o.dry_run) {
    std::printf("%s\n", out.dump().c_str());
    return kExitOk;
  }
  int64_t id = 0;
  Status s = store::InTransaction(**db, [&](store::Connection& c) -> Status {
    store::NewCampaign nc{o.tenant, o.name, body, starts_at, std::nullopt, &*plan};
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::CreateCampaign(c, nc, SystemClock().NowMs()));
    return store::AppendAudit(c, CliAudit(o.tenant, "campaign.create", "campaign:" + std::to_string(id)));
  });
  if (!s.ok()) return Fail(s);
  out["id"] = id;
  std::printf("%s\n", out.dump().c_str());
  return kExitOk;
}

int CampaignShow(const std::string& url, const std::string& tenant, int64_t id, const std::string& action) {
  if (Status s = ValidateTenantCode(tenant, "--tenant"); !s.ok()) return Fail(s);
  auto db = Open(url);
  if (!db.ok()) return Fail(db.status());
  store::CampaignRecord c;
  Status s = store::InTransaction(**db, [&](store::Connection& conn) -> Status {
    if (!action.empty()) {
      MADOGUCHI_RETURN_IF_ERROR(store::ChangeCampaign(conn, tenant, id, action, SystemClock().NowMs()).status());
      MADOGUCHI_RETURN_IF_ERROR(store::AppendAudit(conn, CliAudit(tenant, "campaign." + action, "campaign:" + std::to_string(id))));
    }
    MADOGUCHI_ASSIGN_OR_RETURN(c, store::GetCampaign(conn, tenant, id));
    return Status::Ok();
  });
  if (!s.ok()) return Fail(s);
  std::printf("%s\n", CampaignJson(c).dump().c_str());
  return kExitOk;
}

}  // namespace madoguchi::app
