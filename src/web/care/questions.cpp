// The home-care forms' questions: see questions.hpp.
#include "web/care/questions.hpp"

#include "web/ui/pages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

std::map<std::string, std::string> ErrorsByField(const care::Problems& problems, ui::Reader reader) {
  std::map<std::string, std::string> out;
  for (const Status& s : problems) out.emplace(s.field(), ui::ErrorText(s, reader));
  return out;
}

std::string Questions::Html() const {
  kainjow::mustache::data d;
  d.set("questions", list_);
  return Render(templates::kCareQuestions, d);
}

void CheckInQuestions(Questions& q) {
  q.Pick("urgent", "上の症状が、ひとつでもありますか", "", false, {{"yes", "ひとつでもある"}, {"no", "どれもない"}});
  q.Text("temperature", "体温（℃）", "例：36.8　測っていないときは空けてください。", "text", "decimal");
  q.Text("spo2", "SpO2（%）", "パルスオキシメーターがあるときだけ。例：97", "text", "numeric");
  for (size_t i = 0; i < care::kSymptomCount; ++i) {
    const auto s = static_cast<care::Symptom>(i);
    q.Pick("s_" + std::string(care::SymptomName(s)), std::string(ui::DailySymptomLabel(s)), "", false,
           {{"yes", "はい"}, {"no", "いいえ"}, {"unknown", "わからない"}}, /*row=*/true);
  }
  q.Text("note", "ほかに伝えたいこと（あれば）", "");
}

}  // namespace madoguchi::web
