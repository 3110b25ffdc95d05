// Black-box: VRS files. Doses recorded at the venue are exported in the 予防接種台帳向け出力 layout
// (UTF-8 or CP932); a file in the same layout is reconciled all-or-nothing, with a row report.
#include <gtest/gtest.h>

#include <iconv.h>
#include <fstream>

#include "app/process.hpp"
#include "store/accounts/accounts.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

std::string Cp932ToUtf8(const std::string& in) {
  iconv_t cd = iconv_open("UTF-8", "CP932");
  std::string out(in.size() * 3 + 8, '\0');
  char* ip = const_cast<char*>(in.data());
  size_t il = in.size();
  char* op = out.data();
  size_t ol = out.size();
  const size_t r = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  EXPECT_NE(r, static_cast<size_t>(-1)) << "the export is valid CP932";
  out.resize(out.size() - ol);
  return out;
}

class VrsCliTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    dir_ = MakeTempDir();
    db_ = tdb_->Open();
    const int64_t now = 1'790'000'000'000;  // 2026-09
    ASSERT_TRUE(store::InTransaction(*db_, [&](store::Connection& c) -> Status {
                  MADOGUCHI_RETURN_IF_ERROR(store::InsertTenant(c, {"452041", "日南市", now}));
                  std::vector<booking::Resident> list;
                  for (int i = 0; i < 3; ++i) {
                    booking::Resident r;
                    r.address_number = std::to_string(9000 + i);
                    r.ticket_number = std::to_string(7000000000LL + i);
                    r.name = "住民";
                    r.name_kana = "ジュウミン";
                    r.birth_date = *ParseIsoDate("1950-01-01");
                    list.push_back(r);
                  }
                  MADOGUCHI_RETURN_IF_ERROR(testing::ImportResidents(c, "452041", list, now));
                  MADOGUCHI_ASSIGN_OR_RETURN(int64_t venue, store::InsertVenue(c, "452041", {"日南市文化センター, 大ホール", ""}, now));
                  MADOGUCHI_ASSIGN_OR_RETURN(
                      int64_t slot, store::InsertSlot(c, "452041", venue, {now + 3'600'000, now + 5'400'000, 10, "pfizer", 1}, now));
                  for (int i = 0; i < 2; ++i) {
                    MADOGUCHI_ASSIGN_OR_RETURN(auto who, store::FindResidentByTicket(c, "452041", list[i].ticket_number));
                    FakeClock clock(now);
                    booking::BookingService service(clock);
                    store::SqlBookingPort port(c);
                    MADOGUCHI_ASSIGN_OR_RETURN(auto b, service.Book(port, {"452041", *who, slot, booking::Channel::kWeb, std::nullopt}));
                    MADOGUCHI_RETURN_IF_ERROR(service.SetState(port, "452041", b.id, booking::State::kCheckedIn).status());
                    MADOGUCHI_RETURN_IF_ERROR(
                        service.SetState(port, "452041", b.id, booking::State::kVaccinated, "FK1234", "日南 太郎").status());
                  }
                  return Status::Ok();
                }).ok());
  }
  ProcessResult Cli(std::vector<std::string> args) { return RunMadoguchi(std::move(args), tdb_->url(), dir_); }
  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<store::Database> db_;
  std::string dir_;
};

TEST_P(VrsCliTest, ExportsTheLayoutInCp932AndReconcilesAllOrNothing) {
  auto out = Cli({"vrs", "export", "--tenant", "452041", "--encoding", "cp932", "--out", dir_ + "/vrs.csv"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  const std::string text = Cp932ToUtf8(ReadFile(dir_ + "/vrs.csv"));
  std::istringstream lines(text);
  std::string header, row1, row2, extra;
  std::getline(lines, header);
  std::getline(lines, row1);
  std::getline(lines, row2);
  EXPECT_FALSE(std::getline(lines, extra) && !extra.empty());
  EXPECT_TRUE(
      header.starts_with("個別宛名番号,1回目登録日時,1回目接種日,1回目券番号,1回目接種自治体コード,1回目接種会場名,1回目接種医師名,"
                         "1回目ワクチンメーカー,1回目ロット番号,2回目登録日時"))
      << header;
  EXPECT_TRUE(row1.starts_with("9000,")) << row1;
  EXPECT_NE(row1.find(",7000000000,452041,\"日南市文化センター, 大ホール\",日南 太郎,ファイザー,FK1234,"), std::string::npos) << row1;

  // The same file back: everything agrees, nothing is added.
  auto same = Cli({"vrs", "import", "--tenant", "452041", dir_ + "/vrs.csv"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("2 people: 2 doses already recorded and agreeing, 0 added"), std::string::npos) << same.out;

  // A file from VRS with a new dose for 9002 and a conflicting date for 9001: rejected whole.
  std::string conflicting = row2;
  const size_t date_at = conflicting.find(',', conflicting.find(',') + 1) + 1;  // 1回目接種日
  conflicting.replace(date_at, 8, "20200101");
  std::ofstream(dir_ + "/from_vrs.csv") << header << "\n"
                                        << conflicting << "\n"
                                        << "9002,20260901100000,20260901,7000000002,452041,市立病院,医師,モデルナ,MD001,,,,,,,,\n";
  auto rejected = Cli({"vrs", "import", "--tenant", "452041", dir_ + "/from_vrs.csv"});
  EXPECT_EQ(rejected.exit_code, 2);
  EXPECT_NE(rejected.err.find("row 1, 1回目接種日: is 2020-01-01; our record says"), std::string::npos) << rejected.err;
  EXPECT_NE(rejected.err.find("nothing was imported"), std::string::npos);
  // Without the conflict the new dose is added, and exported next time.
  std::ofstream(dir_ + "/ok.csv") << header << "\n"
                                  << "9002,20260901100000,20260901,7000000002,452041,市立病院,医師,モデルナ,MD001,,,,,,,,\n";
  auto added = Cli({"vrs", "import", "--tenant", "452041", dir_ + "/ok.csv"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("1 added"), std::string::npos);
  auto again = Cli({"vrs", "export", "--tenant", "452041"});
  EXPECT_NE(again.out.find("9002,"), std::string::npos);
  EXPECT_NE(again.out.find("モデルナ,MD001"), std::string::npos);
  // Bad cells are named by row and column.
  std::ofstream(dir_ + "/bad.csv") << header << "\n"
                                   << "9002,2026090110,20260901,0000000000,452042,,医師,モデルナ,,,,,,,,,\n";
  auto bad = Cli({"vrs", "import", "--tenant", "452041", dir_ + "/bad.csv"});
  EXPECT_EQ(bad.exit_code, 2);
  for (const char* f : {"1回目登録日時", "1回目券番号", "1回目接種自治体コード", "1回目接種会場名", "1回目ロット番号"}) {
    EXPECT_NE(bad.err.find(std::string("row 1, ") + f), std::string::npos) << f << "\n" << bad.err;
  }
}

// Issue #9, item 3: a healthy database with vaccinated bookings passes `bookings check`.
TEST_P(VrsCliTest, BookingsCheckIsCleanOnceBookingsAreVaccinated) {
  auto out = Cli({"bookings", "check", "--tenant", "452041"});
  EXPECT_EQ(out.exit_code, 0) << out.out << out.err;
  EXPECT_NE(out.out.find("\"slot_count_mismatch\":0"), std::string::npos) << out.out;
}

// Item 16: cells a spreadsheet would run as formulas are written as text.
TEST_P(VrsCliTest, ExportNeutralisesFormulasFromVenueLotAndDoctor) {
  const int64_t now = 1'790'000'000'000;
  ASSERT_TRUE(
      store::InTransaction(*db_, [&](store::Connection& c) -> Status {
        MADOGUCHI_ASSIGN_OR_RETURN(int64_t venue, store::InsertVenue(c, "452041", {"=HYPERLINK(\"http://evil.example\",\"x\")", ""}, now));
        MADOGUCHI_ASSIGN_OR_RETURN(int64_t slot,
                                   store::InsertSlot(c, "452041", venue, {now + 3'600'000, now + 5'400'000, 10, "pfizer", 1}, now));
        MADOGUCHI_ASSIGN_OR_RETURN(auto who, store::FindResidentByTicket(c, "452041", "7000000002"));
        FakeClock clock(now);
        booking::BookingService service(clock);
        store::SqlBookingPort port(c);
        MADOGUCHI_ASSIGN_OR_RETURN(auto b, service.Book(port, {"452041", *who, slot, booking::Channel::kWeb, std::nullopt}));
        MADOGUCHI_RETURN_IF_ERROR(service.SetState(port, "452041", b.id, booking::State::kCheckedIn).status());
        return service.SetState(port, "452041", b.id, booking::State::kVaccinated, "=cmd|' /C calc'!A0", "@SUM(1)").status();
      }).ok());
  auto out = Cli({"vrs", "export", "--tenant", "452041"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",'@SUM(1),ファイザー,'=cmd|' /C calc'!A0,"),
            std::string::npos)
      << out.out;
  EXPECT_EQ(out.out.find(",="), std::string::npos) << out.out;
  EXPECT_EQ(out.out.find(",@"), std::string::npos) << out.out;
}

INSTANTIATE_TEST_SUITE_P(Backends, VrsCliTest, ::testing::ValuesIn(Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::testing
