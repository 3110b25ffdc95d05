// Issue #13 through the pages, with real kit photos from ../shared/data/kits: the eligibility
// screen turns a resident with a risk factor to a clinic and asks what is missing; the form is
// refused field by field (a PDF named .jpg is no photo) and stores nothing then; an application
// gets its receipt number and signed status link; a doctor takes it from the queue, sees the photo
// (never cached, doctors only, audited) and confirms; a glared photo is sent back and the status
// link takes a new one; two doctors never review one application.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "care/application.hpp"
#include "store/audit/audit_log.hpp"
#include "store/care/settings.hpp"
#include "store/outbox/messages.hpp"
#include "support/care_forms.hpp"
#include "support/shared_data.hpp"
#include "support/web_fixture.hpp"
#include "web/web_app.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using testing::Call;
using ::testing::HasSubstr;
using testing::HeaderOf;
using testing::kOwnTenant;
using ::testing::Not;
using testing::WebFixture;

constexpr int64_t kNow = 1'796'184'000'000;  // 2026-12-02 13:00 in Japan

class CarePagesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fx_ = std::make_unique<WebFixture>(GetParam());
    MADOGUCHI_REQUIRE_DB(fx_->test_db());
    MADOGUCHI_REQUIRE_SHARED_DATA("kits");
    ASSERT_TRUE(fx_->ready());
    fx_->clock().SetMs(kNow);
  }
  std::string Base() const { return std::string("/r/") + kOwnTenant + "/care"; }
  Call Post(const std::string& path, const std::multimap<std::string, std::string>& fields) { return testing::ResidentPost(path, fields); }
  static std::multimap<std::string, std::string> Screen() { return testing::CareScreen(); }
  static std::multimap<std::string, std::string> Form(const std::string& kit_file) { return testing::CareForm(kit_file); }
  // Applies; returns the status page's path (the signed link).
  std::string Apply(const std::string& kit_file) {
    HttpResponse r = fx_->Send(Post(Base() + "/apply", Form(kit_file)));
    EXPECT_EQ(r.status, 303) << r.body;
    std::string location = HeaderOf(r, "Location");
    return location.substr(0, location.find('?'));
  }
  int64_t Count(const std::string& table) {
    int64_t n = -1;
    EXPECT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT COUNT(*) FROM " + table));
                  n = rows[0].Int(0);
                  return Status::Ok();
                }).ok());
    return n;
  }
  std::unique_ptr<WebFixture> fx_;
};

TEST_P(CarePagesTest, TheScreenSendsSomeoneWithARiskFactorToAClinicAndNamesWhatIsMissing) {
  HttpResponse page = fx_->Send(Call{"GET", Base()});
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("糖尿病"));
  EXPECT_THAT(page.body, HasSubstr("研究用"));
  auto risky = Screen();
  risky.insert({"risk", "diabetes"});
  HttpResponse refused = fx_->Send(Post(Base() + "/screen", risky));
  EXPECT_EQ(refused.status, 200);
  EXPECT_THAT(refused.body, HasSubstr("この方法では登録できません"));
  EXPECT_THAT(refused.body, HasSubstr("重くなりやすい持病"));
  auto missing = Screen();
  missing.erase("mild");
  HttpResponse again = fx_->Send(Post(Base() + "/screen", missing));
  EXPECT_EQ(again.status, 422);
  EXPECT_THAT(again.body, HasSubstr("mild-err"));
  EXPECT_THAT(again.body, HasSubstr("ここに答えてください。"));
  HttpResponse form = fx_->Send(Post(Base() + "/screen", Screen()));
  EXPECT_EQ(form.status, 200);
  EXPECT_THAT(form.body, HasSubstr("enctype=\"multipart/form-data\""));
  EXPECT_THAT(form.body, HasSubstr("type=\"hidden\" name=\"birth_date\" value=\"1986-05-01\""));
  EXPECT_EQ(Count("care_applications"), 0);
}

TEST_P(CarePagesTest, ATenantsOwnRulesDecideWhoMayRegisterAndItsClinicInformationIsShown) {
  care::CareSettings s = care::DefaultCareSettings();
  s.eligibility.max_age = 74;
  s.clinic_info = "日南市の発熱外来：日南市のホームページをご覧ください。";
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                return store::SaveCareSettings(c, kOwnTenant, s, kNow);
              }).ok());
  auto seventy = Screen();
  seventy.erase("birth_date");
  seventy.insert({"birth_date", "1956-05-01"});
  HttpResponse form = fx_->Send(Post(Base() + "/screen", seventy));
  EXPECT_EQ(form.status, 200);
  EXPECT_THAT(form.body, HasSubstr("enctype=\"multipart/form-data\""));  // 70: may register here
  seventy.insert({"risk", "diabetes"});
  HttpResponse refused = fx_->Send(Post(Base() + "/screen", seventy));
  EXPECT_THAT(refused.body, HasSubstr("この方法では登録できません"));
  EXPECT_THAT(refused.body, HasSubstr("日南市の発熱外来：日南市のホームページをご覧ください。"));
}

TEST_P(CarePagesTest, AFormWithAPdfForAPhotoAndAHiraganaKanaIsRefusedFieldByFieldAndStoresNothing) {
  auto f = Form("");
  f.insert({"kit_photo", std::string("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n")});
  f.erase("family_kana");
  f.insert({"family_kana", "くまもと"});
  HttpResponse r = fx_->Send(Post(Base() + "/apply", f));
  EXPECT_EQ(r.status, 422);
  EXPECT_THAT(r.body, HasSubstr("写真（JPEGかPNG）を選んでください"));
  EXPECT_THAT(r.body, HasSubstr("全角のカタカナで入れてください"));
  EXPECT_THAT(r.body, HasSubstr("写真は、もう一度選んでください"));
  EXPECT_EQ(Count("care_applications"), 0);
  EXPECT_EQ(Count("messages"), 0);
  EXPECT_FALSE(std::filesystem::exists(fx_->files_dir()));
}

TEST_P(CarePagesTest, AnApplicationIsConfirmedByADoctorWhoAloneSeesThePhotoNeverCached) {
  const std::string status_path = Apply("kit_032.jpg");
  ASSERT_THAT(status_path, HasSubstr("/care/s/"));
  HttpResponse receipt = fx_->Send(Call{"GET", status_path + "?new=1"});
  ASSERT_EQ(receipt.status, 200);
  EXPECT_THAT(receipt.body, HasSubstr("受付番号"));
  EXPECT_THAT(receipt.body, HasSubstr("医師の確認を待っています"));
  EXPECT_EQ(HeaderOf(receipt, "Cache-Control"), "no-store");
  // A link altered by one character opens nothing.
  std::string forged = status_path;
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  EXPECT_EQ(fx_->Send(Call{"GET", forged}).status, 404);

  const auto doctor = fx_->SessionFor(fx_->AddUser("dr", Role::kDoctor, {kOwnTenant}));
  const auto operator_ = fx_->SessionFor(fx_->AddUser("op", Role::kOperator, {kOwnTenant}));
  HttpResponse queue = fx_->SendAs(doctor, Call{"GET", std::string("/t/") + kOwnTenant + "/care/queue"});
  ASSERT_EQ(queue.status, 200);
  EXPECT_THAT(queue.body, HasSubstr("確認待ち <strong>1</strong> 件"));
  EXPECT_THAT(queue.body, HasSubstr("読める"));
  HttpResponse next = fx_->SendAs(doctor, Call{"POST", std::string("/t/") + kOwnTenant + "/care/next"});
  ASSERT_EQ(next.status, 303) << next.body;
  const std::string review = HeaderOf(next, "Location");
  HttpResponse page = fx_->SendAs(doctor, Call{"GET", review});
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("熊本 花子"));
  EXPECT_THAT(page.body, HasSubstr("T線あり"));
  EXPECT_THAT(page.body, HasSubstr("/static/care-review.js"));
  HttpResponse photo = fx_->SendAs(doctor, Call{"GET", review + "/photo/kit"});
  ASSERT_EQ(photo.status, 200);
  EXPECT_EQ(photo.content_type, "image/jpeg");
  EXPECT_THAT(HeaderOf(photo, "Cache-Control"), HasSubstr("no-store"));
  EXPECT_EQ(photo.body.compare(0, 2, "\xFF\xD8"), 0);
  EXPECT_EQ(photo.body.find("Exif"), std::string::npos);
  EXPECT_EQ(fx_->SendAs(operator_, Call{"GET", review + "/photo/kit"}).status, 403);
  EXPECT_EQ(fx_->Send(Call{"GET", review + "/photo/kit"}).status / 100, 3);  // to the login

  Call decide{"POST", review + "/decision"};
  decide.Param("decision", "cannot_confirm");
  HttpResponse no_reason = fx_->SendAs(doctor, decide);
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_THAT(no_reason.body, HasSubstr("判定の理由を書いてください"));
  Call confirm{"POST", review + "/decision"};
  confirm.Param("decision", "confirm");
  HttpResponse done = fx_->SendAs(doctor, confirm);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_THAT(done.body, HasSubstr("確認待ち <strong>0</strong> 件"));
  HttpResponse status = fx_->Send(Call{"GET", status_path});
  EXPECT_THAT(status.body, HasSubstr("医師が陽性を確認しました"));
  EXPECT_THAT(status.body, HasSubstr("12月7日"));  // onset 11/30 + 7
  HttpResponse csv = fx_->SendAs(doctor, Call{"GET", std::string("/t/") + kOwnTenant + "/care/confirmed.csv?day=2026-12-02"});
  ASSERT_EQ(csv.status, 200);
  EXPECT_THAT(csv.body, HasSubstr("クマモト ハナコ"));
  EXPECT_THAT(csv.body, HasSubstr("2026-12-07"));
  // Every look and the decision are in the audit log.
  std::vector<std::string> actions;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(auto log, store::ListAudit(c, kOwnTenant, 50, 0, {}));
                for (const auto& e : log) actions.push_back(e.action);
                return Status::Ok();
              }).ok());
  for (const char* a :
       {"care.apply", "care.queue_read", "care.application_read", "care.photo_read", "care.decision", "care.confirmed_csv"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), a), actions.end()) << a;
  }
  // The resident was told twice: received, then confirmed.
  EXPECT_EQ(Count("messages"), 2);
}

TEST_P(CarePagesTest, TwoDoctorsNeverReviewOneApplication) {
  Apply("kit_032.jpg");
  const auto one = fx_->SessionFor(fx_->AddUser("dr1", Role::kDoctor, {kOwnTenant}));
  const auto two = fx_->SessionFor(fx_->AddUser("dr2", Role::kDoctor, {kOwnTenant}));
  HttpResponse next = fx_->SendAs(one, Call{"POST", std::string("/t/") + kOwnTenant + "/care/next"});
  ASSERT_EQ(next.status, 303);
  const std::string review = HeaderOf(next, "Location");
  HttpResponse other = fx_->SendAs(two, Call{"GET", review});
  EXPECT_EQ(other.status, 409);
  EXPECT_THAT(other.body, HasSubstr("ほかの医師がこの申請を確認中です"));
  HttpResponse none = fx_->SendAs(two, Call{"POST", std::string("/t/") + kOwnTenant + "/care/next"});
  EXPECT_EQ(none.status, 404);
  EXPECT_THAT(none.body, HasSubstr("確認を待っている申請はありません"));
  // The first leaves it: the second may take it.
  EXPECT_EQ(fx_->SendAs(one, Call{"POST", review + "/release"}).status, 303);
  EXPECT_EQ(fx_->SendAs(two, Call{"GET", review}).status, 200);
}

TEST_P(CarePagesTest, AGlaredPhotoIsSentBackAtOnceAndTheStatusLinkTakesANewOne) {
  const std::string status_path = Apply("kit_060.jpg");
  HttpResponse status = fx_->Send(Call{"GET", status_path});
  ASSERT_EQ(status.status, 200);
  EXPECT_THAT(status.body, HasSubstr("結果の窓が光って見えません"));
  EXPECT_THAT(status.body, HasSubstr("/photo\" enctype=\"multipart/form-data\""));
  HttpResponse bad = fx_->Send(Post(status_path + "/photo", {{"kit_photo", "GIF89a...."}}));
  EXPECT_EQ(bad.status, 422);
  EXPECT_THAT(bad.body, HasSubstr("写真（JPEGかPNG）を選んでください"));
  HttpResponse sent = fx_->Send(Post(status_path + "/photo", {{"kit_photo", testing::Slurp(testing::SharedData("kits") / "kit_033.jpg")}}));
  ASSERT_EQ(sent.status, 303) << sent.body;
  HttpResponse after = fx_->Send(Call{"GET", HeaderOf(sent, "Location")});
  EXPECT_THAT(after.body, HasSubstr("新しい写真を受け取りました"));
  EXPECT_THAT(after.body, HasSubstr("医師の確認を待っています"));
  EXPECT_THAT(after.body, Not(HasSubstr("写真を送る")));
  EXPECT_THAT(fx_->Send(Call{"GET", status_path}).body, HasSubstr("新しい写真を受け取りました")) << "from the record, on any visit";
}

// CHECKLIST "Show the state, not the URL": ?sent=1 made the status page say a photo had been
// received, for an application that never sent a second one.
TEST_P(CarePagesTest, TheStatusPageSaysAPhotoWasReceivedOnlyWhenTheRecordSaysSo) {
  const std::string status_path = Apply("kit_032.jpg");
  HttpResponse forged = fx_->Send(Call{"GET", status_path + "?sent=1"});
  ASSERT_EQ(forged.status, 200);
  EXPECT_THAT(forged.body, Not(HasSubstr("写真を受け取りました")));
  EXPECT_THAT(forged.body, HasSubstr("医師の確認を待っています"));
}

INSTANTIATE_TEST_SUITE_P(Backends, CarePagesTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::web
