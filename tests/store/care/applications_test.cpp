// Home-test applications through the care service over SQL, on both backends, with real kit
// photos from ../shared/data/kits: photos kept as 0600 files by content hash with no metadata; an
// unreadable photo sent back at once and a new one queued; two doctors never hold one application
// (also when they claim at once, and four doctors taking the next ones); a lease that ran out
// loses its decision; a confirmation opens the episode, tells the resident and sets when the
// photos go, and the sweep deletes the ID photo first and the kit photo later.
#include "store/care/applications.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "messaging/templates.hpp"
#include "store/accounts/accounts.hpp"
#include "store/outbox/messages.hpp"
#include "support/care_data.hpp"
#include "support/shared_data.hpp"
#include "support/status_matchers.hpp"
#include "support/test_db.hpp"

namespace madoguchi::store {
namespace {

using testing::IsOk;
using testing::TestDatabase;

constexpr char kTenant[] = "430005";         // 熊本県
constexpr int64_t kNow = 1'796'184'000'000;  // 2026-12-02 04:00 UTC (13:00 in Japan)
constexpr int64_t kDay = 86'400'000;

// The value `f` reads on a connection of `db`.
template <typename F>
auto Read(Database& db, F f) -> decltype(f(std::declval<Connection&>())) {
  std::optional<decltype(f(std::declval<Connection&>()))> out;
  Status s = WithConnection(db, [&](Connection& c) -> Status {
    out.emplace(f(c));
    return out->status();
  });
  if (!out) return s;
  return std::move(*out);
}

class CareStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    MADOGUCHI_REQUIRE_SHARED_DATA("kits");
    db_ = tdb_->Open(true);
    ASSERT_NE(db_, nullptr);
    root_ = std::filesystem::temp_directory_path() / ("madoguchi-photos-" + std::to_string(::getpid()) + "-" + GetParam());
    std::filesystem::remove_all(root_);
    files_ = std::make_unique<PhotoFiles>(root_.string());
    ASSERT_THAT(
        InTransaction(*db_,
                      [&](Connection& c) -> Status {
                        MADOGUCHI_RETURN_IF_ERROR(InsertTenant(c, {kTenant, "熊本県", kNow}));
                        MADOGUCHI_ASSIGN_OR_RETURN(doctor1_, InsertUser(c, {"dr1", "医師 一", accounts::Role::kDoctor, "h", {kTenant}, 1}));
                        MADOGUCHI_ASSIGN_OR_RETURN(doctor2_, InsertUser(c, {"dr2", "医師 二", accounts::Role::kDoctor, "h", {kTenant}, 1}));
                        return Status::Ok();
                      }),
        IsOk());
    clock_.SetMs(kNow);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  care::Prepared Prepare(const std::string& kit_file) {
    care::ApplicationInput in{testing::CareAnswers(), testing::Slurp(testing::SharedData("kits") / kit_file),
                              testing::Slurp(testing::SharedData("kits") / "photo_with_gps_exif.jpg")};
    return service_.Prepare(in, care::DefaultCareSettings());
  }
  Result<care::Applied> Submit(const care::Prepared& p) {
    care::Applied out;
    Status s = InTransaction(*db_, [&](Connection& c) -> Status {
      SqlCarePort port(c, *files_);
      MADOGUCHI_ASSIGN_OR_RETURN(out, service_.Submit(port, kTenant, p));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }
  template <typename F>
  auto WithPort(F f) -> decltype(f(std::declval<care::CarePort&>())) {
    std::optional<decltype(f(std::declval<care::CarePort&>()))> out;
    Status s = InTransaction(*db_, [&](Connection& c) -> Status {
      SqlCarePort port(c, *files_);
      out.emplace(f(port));
      return out->status();
    });
    if (!out) return s;
    return std::move(*out);
  }
  std::vector<StoredMessage> Messages() {
    std::vector<StoredMessage> out;
    EXPECT_THAT(WithConnection(*db_,
                               [&](Connection& c) -> Status {
                                 MADOGUCHI_ASSIGN_OR_RETURN(out, ListMessages(c, kTenant, 100));
                                 return Status::Ok();
                               }),
                IsOk());
    return out;
  }

  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<Database> db_;
  std::filesystem::path root_;
  std::unique_ptr<PhotoFiles> files_;
  FakeClock clock_;
  care::CareService service_{clock_, "status-secret"};
  int64_t doctor1_ = 0, doctor2_ = 0;
};

TEST_P(CareStoreTest, AnApplicationIsQueuedWithItsPhotosKeptAsPrivateFilesWithoutMetadata) {
  care::Prepared p = Prepare("kit_032.jpg");
  ASSERT_TRUE(p.ok()) << (p.problems.empty() ? "ineligible" : p.problems[0].ToString());
  auto applied = Submit(p);
  ASSERT_THAT(applied.status(), IsOk());
  EXPECT_EQ(applied->state, care::ApplicationState::kWaiting);
  EXPECT_EQ(applied->receipt.size(), 8u);
  auto rec = WithPort([&](care::CarePort& port) { return port.GetApplication(kTenant, applied->id); });
  ASSERT_THAT(rec.status(), IsOk());
  EXPECT_EQ(rec->queue_rank, 0);  // readable, T line seen
  EXPECT_EQ(rec->form.applicant.phone, "+819012345678");
  for (auto [kind, ref] : {std::pair{care::PhotoKind::kKit, rec->kit_photo}, std::pair{care::PhotoKind::kId, rec->id_photo}}) {
    const std::string path = files_->PathOf(kTenant, kind, ref);
    ASSERT_FALSE(path.empty());
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0) << path;
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const std::string bytes = testing::Slurp(path);
    EXPECT_EQ(bytes.find("Exif"), std::string::npos);
    EXPECT_EQ(bytes.compare(0, 2, "\xFF\xD8"), 0);
  }
  EXPECT_NE(files_->PathOf(kTenant, care::PhotoKind::kId, rec->id_photo).find("/id/"), std::string::npos);
  // The resident is told the receipt number with a status link.
  auto messages = Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].message.template_key, "care_received");
  EXPECT_EQ(messages[0].message.address, "+819012345678");
  EXPECT_EQ(messaging::VariableText(messages[0].message.variables, "receipt"), care::ReceiptInGroups(applied->receipt));
  const std::string path = messaging::VariableText(messages[0].message.variables, "link_path");
  ASSERT_TRUE(path.starts_with(std::string("/r/") + kTenant + "/care/s/")) << path;
  EXPECT_EQ(service_.ReadStatusToken(kTenant, path.substr(path.rfind('/') + 1)), applied->id);
  EXPECT_EQ(service_.ReadStatusToken("131016", path.substr(path.rfind('/') + 1)), std::nullopt);
  auto page = Read(*db_, [&](Connection& c) { return ListQueue(c, kTenant, kNow, 50, 0); });
  ASSERT_THAT(page.status(), IsOk());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->waiting, 1);
  EXPECT_EQ(page->entries[0].category, "readable");
}

TEST_P(CareStoreTest, AGlaredPhotoGoesBackAtOnceAndANewReadableOneIsQueued) {
  auto applied = Submit(Prepare("kit_060.jpg"));
  ASSERT_THAT(applied.status(), IsOk());
  EXPECT_EQ(applied->state, care::ApplicationState::kPhotoRequested);
  EXPECT_EQ(applied->reading.category, care::KitCategory::kGlare);
  ASSERT_EQ(Messages().back().message.template_key, "care_photo_retake");
  auto queue = Read(*db_, [&](Connection& c) { return ListQueue(c, kTenant, kNow, 50, 0); });
  EXPECT_EQ(queue->waiting, 0);
  // A doctor cannot take what waits for a photo.
  auto claim = WithPort([&](care::CarePort& port) { return service_.Claim(port, kTenant, doctor1_, applied->id); });
  EXPECT_EQ(claim.status().key(), "awaiting_photo");
  auto again = WithPort([&](care::CarePort& port) {
    auto photo = service_.PrepareNewPhoto(testing::Slurp(testing::SharedData("kits") / "kit_033.jpg"));
    if (!photo.ok()) return Result<care::Applied>(photo.status());
    return service_.SendNewPhoto(port, kTenant, applied->id, *photo);
  });
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_EQ(again->state, care::ApplicationState::kWaiting);
  auto rec = WithPort([&](care::CarePort& port) { return port.GetApplication(kTenant, applied->id); });
  EXPECT_EQ(rec->photos_sent, 2);
  EXPECT_EQ(rec->reading.category, care::KitCategory::kReadable);
  // Once waiting, another photo is not asked for.
  auto third = WithPort([&](care::CarePort& port) {
    auto photo = service_.PrepareNewPhoto(testing::Slurp(testing::SharedData("kits") / "kit_033.jpg"));
    if (!photo.ok()) return Result<care::Applied>(photo.status());
    return service_.SendNewPhoto(port, kTenant, applied->id, *photo);
  });
  EXPECT_EQ(third.status().key(), "no_photo_asked");
}

TEST_P(CareStoreTest, TwoDoctorsClaimingOneApplicationAtOnceNeverBothHoldIt) {
  auto applied = Submit(Prepare("kit_032.jpg"));
  ASSERT_THAT(applied.status(), IsOk());
  for (int round = 0; round < 5; ++round) {
    std::vector<Status> got(2);
    std::vector<std::thread> doctors;
    for (int d = 0; d < 2; ++d) {
      doctors.emplace_back([&, d] {
        auto r = WithPort([&](care::CarePort& port) { return service_.Claim(port, kTenant, d == 0 ? doctor1_ : doctor2_, applied->id); });
        got[d] = r.status();
      });
    }
    for (auto& t : doctors) t.join();
    if (round == 0) {
      EXPECT_NE(got[0].ok(), got[1].ok()) << got[0].ToString() << " / " << got[1].ToString();
      const Status& loser = got[0].ok() ? got[1] : got[0];
      EXPECT_EQ(loser.key(), "held_by_another");
    } else {
      // The holder takes it again (renewing); the other is still refused.
      EXPECT_EQ(static_cast<int>(got[0].ok()) + static_cast<int>(got[1].ok()), 1);
    }
  }
}

TEST_P(CareStoreTest, DoctorsTakingTheNextAtOnceGetDifferentApplicationsInQueueOrder) {
  for (int i = 0; i < 3; ++i) ASSERT_THAT(Submit(Prepare("kit_000.jpg")).status(), IsOk());  // faint T: rank 1
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_THAT(Submit(Prepare("kit_032.jpg")).status(), IsOk());  // strong T: rank 0, although later
  auto first = WithPort([&](care::CarePort& port) { return service_.Claim(port, kTenant, doctor1_, std::nullopt); });
  ASSERT_THAT(first.status(), IsOk());
  EXPECT_EQ(first->queue_rank, 0);
  // Three more doctors take the next at once, twice each: nobody gets one already held.
  std::vector<int64_t> doctors_ids;
  ASSERT_THAT(InTransaction(*db_,
                            [&](Connection& c) -> Status {
                              for (int d = 0; d < 3; ++d) {
                                MADOGUCHI_ASSIGN_OR_RETURN(
                                    int64_t id,
                                    InsertUser(c, {"drx" + std::to_string(d), "医師", accounts::Role::kDoctor, "h", {kTenant}, 1}));
                                doctors_ids.push_back(id);
                              }
                              return Status::Ok();
                            }),
              IsOk());
  std::vector<std::vector<std::string>> got(3);
  std::vector<std::thread> doctors;
  for (int d = 0; d < 3; ++d) {
    doctors.emplace_back([&, d] {
      for (int k = 0; k < 2; ++k) {
        auto r = WithPort([&](care::CarePort& port) { return service_.Claim(port, kTenant, doctors_ids[d], std::nullopt); });
        got[d].push_back(r.ok() ? std::to_string(r->id) : r.status().key());
      }
    });
  }
  for (auto& t : doctors) t.join();
  std::set<std::string> ids;
  int empty = 0;
  for (const auto& list : got) {
    for (const std::string& g : list) {
      if (g == "queue_empty") {
        ++empty;
      } else {
        EXPECT_TRUE(ids.insert(g).second) << "application " << g << " was given twice";
      }
    }
  }
  EXPECT_EQ(ids.size(), 3u);  // the three left, each to one doctor
  EXPECT_EQ(empty, 3);
  EXPECT_EQ(ids.count(std::to_string(first->id)), 0u);
}

TEST_P(CareStoreTest, ALeaseThatRanOutIsTakenByAnotherDoctorAndTheFirstOnesDecisionIsRefused) {
  auto applied = Submit(Prepare("kit_032.jpg"));
  ASSERT_THAT(applied.status(), IsOk());
  ASSERT_THAT(WithPort([&](care::CarePort& port) { return service_.Claim(port, kTenant, doctor1_, applied->id); }).status(), IsOk());
  clock_.Advance(std::chrono::milliseconds(care::CareService::kLeaseMs + 1));
  ASSERT_THAT(WithPort([&](care::CarePort& port) { return service_.Claim(port, kTenant, doctor2_, applied->id); }).status(), IsOk());
  auto late =
      WithPort([&](care::CarePort& port) { return service_.Decide(port, kTenant, doctor1_, applied->id, care::Decision::kConfirm, ""); });
  EXPECT_EQ(late.status().key(), "lease_lost");
  auto decided =
      WithPort([&](care::CarePort& port) { return service_.Decide(port, kTenant, doctor2_, applied->id, care::Decision::kConfirm, ""); });
  ASSERT_THAT(decided.status(), IsOk());
  EXPECT_EQ(decided->application.state, care::ApplicationState::kConfirmed);
}

TEST_P(CareStoreTest, AConfirmationOpensTheEpisodeTellsTheResidentAndThePhotosGoOnTime) {
  auto applied = Submit(Prepare("kit_032.jpg"));
  ASSERT_THAT(applied.status(), IsOk());
  ASSERT_THAT(WithPort([&](care::CarePort& port) { return service_.Claim(port, kTenant, doctor1_, applied->id); }).status(), IsOk());
  auto refused = WithPort(
      [&](care::CarePort& port) { return service_.Decide(port, kTenant, doctor1_, applied->id, care::Decision::kCannotConfirm, ""); });
  EXPECT_EQ(refused.status().field(), "reason");
  auto decided =
      WithPort([&](care::CarePort& port) { return service_.Decide(port, kTenant, doctor1_, applied->id, care::Decision::kConfirm, ""); });
  ASSERT_THAT(decided.status(), IsOk());
  ASSERT_TRUE(decided->episode.has_value());
  using namespace std::chrono;
  EXPECT_EQ(decided->episode->planned_end_on, booking::Day{year{2026} / 12 / 7});  // onset 11/30 + 7
  auto messages = Messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].message.template_key, "care_confirmed");
  // A second decision is refused.
  auto twice =
      WithPort([&](care::CarePort& port) { return service_.Decide(port, kTenant, doctor1_, applied->id, care::Decision::kConfirm, ""); });
  EXPECT_EQ(twice.status().key(), "already_decided");
  // The daily list of confirmed cases.
  auto cases = Read(*db_, [&](Connection& c) {
    const int64_t start = JapanMidnightMs(JapanDay(kNow));
    return ConfirmedOn(c, kTenant, start, start + kDay);
  });
  ASSERT_THAT(cases.status(), IsOk());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].form.applicant.family_kana, "クマモト");

  const std::string id_path = files_->PathOf(kTenant, care::PhotoKind::kId, decided->application.id_photo);
  const std::string kit_path = files_->PathOf(kTenant, care::PhotoKind::kKit, decided->application.kit_photo);
  auto sweep = [&](int64_t at) { return Read(*db_, [&](Connection& c) { return SweepPhotos(c, *files_, at); }); };
  EXPECT_EQ(*sweep(kNow + 6 * kDay), 0);
  EXPECT_TRUE(std::filesystem::exists(id_path));
  EXPECT_EQ(*sweep(kNow + 7 * kDay + 1), 1);  // the ID photo, 7 days after the decision
  EXPECT_FALSE(std::filesystem::exists(id_path));
  EXPECT_TRUE(std::filesystem::exists(kit_path));
  EXPECT_EQ(*sweep(kNow + 30 * kDay), 0);  // the kit photo waits for the episode's end + 30 days
  EXPECT_EQ(*sweep(kNow + 36 * kDay), 1);
  EXPECT_FALSE(std::filesystem::exists(kit_path));
  auto rec = WithPort([&](care::CarePort& port) { return port.GetApplication(kTenant, applied->id); });
  EXPECT_EQ(rec->kit_photo, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, CareStoreTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::store
