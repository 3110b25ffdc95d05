// Black-box tests of the administrative subcommands of build/madoguchi.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/process.hpp"
#include "store/audit/audit_log.hpp"
#include "store/migrations.hpp"
#include "support/shared_data.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

class CliTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    dir_ = MakeTempDir();
  }
  ProcessResult Mdg(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), MADOGUCHI_BINARY);
    if (args[1] != "routes") {
      args.push_back("--db");
      args.push_back(tdb_->url());
    }
    return RunProcess(args, dir_, stdin_text);
  }
  std::unique_ptr<TestDatabase> tdb_;
  std::string dir_;
};

TEST_P(CliTest, MigrateReportsTheSchemaVersion) {
  auto first = Mdg({"migrate"});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("schema version 0 -> " + std::to_string(store::LatestSchemaVersion())), std::string::npos) << first.out;
  auto again = Mdg({"migrate"});
  EXPECT_NE(again.out.find("(0 applied)"), std::string::npos) << again.out;
}

// Issue #9, item 15: the database holds personal data and secrets: its folder is 0700, the file
// and its -wal/-shm 0600, even when an older version left it world-readable.
TEST(CliFilesTest, TheSqliteDatabaseIsTheOwnersAlone) {
  const std::string dir = MakeTempDir();
  const std::string db = dir + "/data/x.db";
  auto made = RunProcess({MADOGUCHI_BINARY, "tenant", "add", "--db", "sqlite:" + db, "--code", "452041", "--name", "日南市"}, dir);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto mode = [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
  };
  EXPECT_EQ(mode(dir + "/data"), 0700);
  EXPECT_EQ(mode(db), 0600);
  for (const char* suffix : {"-wal", "-shm"}) {
    if (mode(db + suffix) != -1) {
      EXPECT_EQ(mode(db + suffix), 0600) << suffix;
    }
  }
  ASSERT_EQ(::chmod(db.c_str(), 0644), 0);
  ASSERT_EQ(RunProcess({MADOGUCHI_BINARY, "tenant", "list", "--db", "sqlite:" + db}, dir).exit_code, 0);
  EXPECT_EQ(mode(db), 0600) << "tightened when opened";
}

// Issue #9, item 1: `residents import` and `vrs import` refuse a file with a stray quote, naming
// the row and column, and exit non-zero (they used to print success for the rows before it).
TEST_P(CliTest, AStrayQuoteRefusesTheWholeFile) {
  ASSERT_EQ(Mdg({"tenant", "add", "--code", "452041", "--name", "日南市"}).exit_code, 0);
  std::ofstream(dir_ + "/list.csv") << "宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号\n"
                                    << "1,1000000001,日南 一郎,ニチナン イチロウ,1950-01-01,日南市1丁目,\n"
                                    << "2,1000000002,日南 二郎,ニチナン ジロウ,1950-01-02,日南市2\"丁目,\n"
                                    << "3,1000000003,日南 三郎,ニチナン サブロウ,1950-01-03,日南市3丁目,\n";
  auto list = Mdg({"residents", "import", "--tenant", "452041", dir_ + "/list.csv"});
  EXPECT_EQ(list.exit_code, 2) << list.out << list.err;
  EXPECT_NE(list.err.find("row 2 (line 3), column 6"), std::string::npos) << list.err;
  EXPECT_EQ(list.out.find("added"), std::string::npos) << list.out;
  std::ofstream(dir_ + "/vrs.csv") << "個別宛名番号,1回目登録日時\n9000,2026\"0901\n";
  auto vrs = Mdg({"vrs", "import", "--tenant", "452041", dir_ + "/vrs.csv"});
  EXPECT_EQ(vrs.exit_code, 2) << vrs.out << vrs.err;
  EXPECT_NE(vrs.err.find("row 1 (line 2), column 2"), std::string::npos) << vrs.err;
}

TEST_P(CliTest, TenantAddChecksTheCode) {
  auto bad = Mdg({"tenant", "add", "--code", "452042", "--name", "日南市"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--code"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("check digit"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find('\n'), bad.err.size() - 1) << "one line";

  auto ok = Mdg({"tenant", "add", "--code", "452041", "--name", "日南市"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  auto dup = Mdg({"tenant", "add", "--code", "452041", "--name", "日南市"});
  EXPECT_EQ(dup.exit_code, 2);
  EXPECT_NE(dup.err.find("already exists"), std::string::npos);
  auto list = Mdg({"tenant", "list"});
  EXPECT_EQ(list.out, "452041\t日南市\n");
}

TEST_P(CliTest, CareSettingsShowTheDefaultsAndSaveATenantsTimeAndRulesNamingWhatIsWrong) {
  ASSERT_EQ(Mdg({"tenant", "add", "--code", "430005", "--name", "熊本県"}).exit_code, 0);
  auto shown = Mdg({"care", "settings", "--tenant", "430005"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  auto j = nlohmann::json::parse(shown.out);
  EXPECT_EQ(j["check_in"], "09:00");
  EXPECT_EQ(j["triage_version"], "mhlw-kanagawa-2022.2");
  auto late = Mdg({"care", "settings", "--tenant", "430005", "--check-in", "25:00"});
  EXPECT_EQ(late.exit_code, 2);
  EXPECT_NE(late.err.find("--check-in"), std::string::npos) << late.err;
  auto early_call = Mdg({"care", "settings", "--tenant", "430005", "--call-after", "100"});
  EXPECT_EQ(early_call.exit_code, 2);
  EXPECT_NE(early_call.err.find("call_after_minutes: must come after the reminder"), std::string::npos) << early_call.err;
  {
    std::ofstream f(dir_ + "/rules.json");
    f << R"({"version": "kumamoto-2022.1", "rules": [{"id": "low", "priority": "P0", "when": {"spo2_at_most": 101}}]})";
  }
  auto bad_rules = Mdg({"care", "settings", "--tenant", "430005", "--triage", dir_ + "/rules.json"});
  EXPECT_EQ(bad_rules.exit_code, 2);
  EXPECT_NE(bad_rules.err.find("spo2_at_most"), std::string::npos) << bad_rules.err;
  EXPECT_EQ(nlohmann::json::parse(Mdg({"care", "settings", "--tenant", "430005"}).out)["check_in"], "09:00");  // nothing saved
  {
    std::ofstream f(dir_ + "/rules.json");
    f << R"({"version": "kumamoto-2022.1", "rules": [{"id": "low", "priority": "P0", "when": {"spo2_at_most": 92}}, {"id": "rest", "priority": "P3", "when": {}}]})";
  }
  auto saved = Mdg({"care", "settings", "--tenant", "430005", "--check-in", "7:30", "--triage", dir_ + "/rules.json"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  j = nlohmann::json::parse(Mdg({"care", "settings", "--tenant", "430005"}).out);
  EXPECT_EQ(j["check_in"], "07:30");
  EXPECT_EQ(j["remind_after_minutes"], 180);
  EXPECT_EQ(j["triage_version"], "kumamoto-2022.1");
  // The registration rules: the output's "rules" edited and given back.
  nlohmann::json rules = j["rules"];
  rules["eligibility"]["max_age"] = 74;
  rules["episode"]["kit_photo_retention_days"] = 3;  // shorter than the ID photo's 7
  {
    std::ofstream f(dir_ + "/care.json");
    f << rules.dump();
  }
  auto short_kit = Mdg({"care", "settings", "--tenant", "430005", "--rules", dir_ + "/care.json"});
  EXPECT_EQ(short_kit.exit_code, 2);
  EXPECT_NE(short_kit.err.find("episode.id_photo_retention_days"), std::string::npos) << short_kit.err;
  rules["episode"]["kit_photo_retention_days"] = 90;
  {
    std::ofstream f(dir_ + "/care.json");
    f << rules.dump();
  }
  ASSERT_EQ(Mdg({"care", "settings", "--tenant", "430005", "--rules", dir_ + "/care.json"}).exit_code, 0);
  j = nlohmann::json::parse(Mdg({"care", "settings", "--tenant", "430005"}).out);
  EXPECT_EQ(j["rules"]["eligibility"]["max_age"], 74);
  EXPECT_EQ(j["rules"]["episode"]["kit_photo_retention_days"], 90);
  EXPECT_EQ(j["check_in"], "07:30");  // kept
  auto unknown = Mdg({"care", "settings", "--tenant", "131016"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no such tenant"), std::string::npos);
}

TEST_P(CliTest, UserAddReadsThePasswordFromStdin) {
  ASSERT_EQ(Mdg({"tenant", "add", "--code", "452041", "--name", "日南市"}).exit_code, 0);
  ASSERT_EQ(Mdg({"tenant", "add", "--code", "131016", "--name", "千代田区"}).exit_code, 0);
  auto ok = Mdg({"user", "add", "--login", "sato", "--role", "supervisor", "--tenant", "452041,131016", "--name", "佐藤"},
                "a password of length\n");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;

  auto weak = Mdg({"user", "add", "--login", "weak", "--role", "operator", "--tenant", "452041"}, "short\n");
  EXPECT_EQ(weak.exit_code, 2);
  EXPECT_NE(weak.err.find("stdin"), std::string::npos) << weak.err;
  auto role = Mdg({"user", "add", "--login", "x1x", "--role", "boss", "--tenant", "452041"}, "long enough pw\n");
  EXPECT_EQ(role.exit_code, 2);
  EXPECT_NE(role.err.find("--role"), std::string::npos) << role.err;
  auto tenant = Mdg({"user", "add", "--login", "x2x", "--role", "doctor", "--tenant", "131041"}, "long enough pw\n");
  EXPECT_EQ(tenant.exit_code, 2);
  EXPECT_NE(tenant.err.find("--tenant"), std::string::npos) << tenant.err;
  auto taken = Mdg({"user", "add", "--login", "sato", "--role", "doctor", "--tenant", "452041"}, "long enough pw\n");
  EXPECT_EQ(taken.exit_code, 2);
  EXPECT_NE(taken.err.find("--login"), std::string::npos) << taken.err;

  auto list = Mdg({"user", "list", "--tenant", "131016"});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("sato\tsupervisor\t131016,452041\t佐藤"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("a password"), std::string::npos);

  auto passwd = Mdg({"user", "passwd", "--login", "sato"}, "another long password\n");
  EXPECT_EQ(passwd.exit_code, 0) << passwd.err;
  auto nobody = Mdg({"user", "passwd", "--login", "nobody"}, "another long password\n");
  EXPECT_EQ(nobody.exit_code, 2);
  auto token = Mdg({"token", "add", "--login", "sato", "--name", "export job"});
  EXPECT_EQ(token.exit_code, 0) << token.err;
  EXPECT_TRUE(token.out.starts_with("mdg_"));
}

TEST_P(CliTest, DemoCreatesOneAccountPerRoleOnce) {
  const std::string creds = dir_ + "/demo.txt";
  auto first = Mdg({"demo", "--credentials", creds});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  for (const char* role : {"admin", "supervisor", "operator", "doctor", "city_staff"}) {
    EXPECT_NE(first.out.find(role), std::string::npos) << role;
  }
  auto second = Mdg({"demo", "--credentials", creds});
  EXPECT_EQ(second.out, first.out);  // same accounts, same passwords
  // Issue #10 §4.3: the demo's residents enter the audit log like any import.
  auto db = tdb_->Open(false);
  ASSERT_NE(db, nullptr);
  std::vector<store::AuditEntry> log;
  ASSERT_TRUE(store::WithConnection(*db, [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(log, store::ListAudit(c, "452041", 50, 0));
                return Status::Ok();
              }).ok());
  EXPECT_TRUE(std::any_of(log.begin(), log.end(),
                          [](const store::AuditEntry& e) { return e.action == "residents.import" && e.record.ends_with("(demo)"); }));
}

INSTANTIATE_TEST_SUITE_P(Backends, CliTest, ::testing::ValuesIn(Backends()), [](const auto& info) { return info.param; });

TEST(CliHelpTest, EverySubcommandHasHelp) {
  const std::string dir = MakeTempDir();
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{{"--help"},
                                                                             {"serve", "--help"},
                                                                             {"migrate", "--help"},
                                                                             {"tenant", "add", "--help"},
                                                                             {"tenant", "list", "--help"},
                                                                             {"user", "add", "--help"},
                                                                             {"user", "list", "--help"},
                                                                             {"user", "passwd", "--help"},
                                                                             {"token", "add", "--help"},
                                                                             {"demo", "--help"},
                                                                             {"routes", "--help"},
                                                                             {"kit", "read", "--help"},
                                                                             {"triage", "defaults", "--help"}}) {
    args.insert(args.begin(), MADOGUCHI_BINARY);
    auto r = RunProcess(args, dir);
    EXPECT_EQ(r.exit_code, 0) << args[1];
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args[1];
    if (args.size() > 2 && args[1] != "routes" && args[1] != "kit" && args[1] != "triage") {
      EXPECT_NE(r.out.find("--db"), std::string::npos) << args[1];
    }
  }
  auto unknown = RunProcess({MADOGUCHI_BINARY, "fly"}, dir);
  EXPECT_EQ(unknown.exit_code, 2);
  auto bad_db = RunProcess({MADOGUCHI_BINARY, "tenant", "list", "--db", "mysql://x"}, dir);
  EXPECT_EQ(bad_db.exit_code, 2);
  EXPECT_NE(bad_db.err.find("db"), std::string::npos);
}

// `madoguchi kit read FILE…` prints one JSON line per photo, in order; a file that is no photo
// gets its line with the reason, and the exit status says something could not be read.
TEST(KitReadCliTest, OneJsonLinePerPhotoAndTheReasonForAFileThatIsNone) {
  MADOGUCHI_REQUIRE_SHARED_DATA("kits");
  const std::string dir = MakeTempDir();
  std::ofstream(dir + "/scan.jpg") << "%PDF-1.4\n%%EOF\n";
  const std::string kits = SharedData("kits").string();
  auto r = RunProcess(
      {MADOGUCHI_BINARY, "kit", "read", kits + "/kit_040.jpg", kits + "/kit_068.jpg", dir + "/scan.jpg", kits + "/kit_052.jpg"}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::vector<nlohmann::json> lines;
  std::stringstream out(r.out);
  for (std::string line; std::getline(out, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0]["file"], kits + "/kit_040.jpg");
  EXPECT_EQ(lines[0]["category"], "readable");
  EXPECT_NEAR(lines[0]["test_line"].get<double>(), 0.8, 0.15);
  EXPECT_GT(lines[0]["control_line"].get<double>(), 0.5);
  EXPECT_TRUE(lines[0]["test_line_seen"].get<bool>());
  EXPECT_GE(lines[0]["ms"].get<double>(), 0);
  EXPECT_EQ(lines[1]["category"], "no_kit");
  EXPECT_EQ(lines[2]["error"]["key"], "not_a_photo");
  EXPECT_EQ(lines[3]["category"], "readable");
  EXPECT_FALSE(lines[3]["test_line_seen"].get<bool>()) << "kit_052 has no T line";
}

}  // namespace
}  // namespace madoguchi::testing
