// src/web/care/questions.hpp — the home-care forms' questions, rendered alike wherever they are
// asked: a text box, a set of choices or a file, each with its label, hint and the error beside
// it (templates::kCareQuestions). The residents' screen and application and the daily check-in
// use them, and so does the operators' form for a report taken on the phone.
#pragma once

#include <kainjow/mustache.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "care/application.hpp"
#include "web/http/http_types.hpp"
#include "web/ui/messages.hpp"

namespace madoguchi::web {

// The first problem on each field, in the reader's words.
std::map<std::string, std::string> ErrorsByField(const care::Problems& problems, ui::Reader reader);

// A form's questions in order, each filled in with what `request` sent and the error for its
// field from `errors` (both outlive it).
class Questions {
 public:
  Questions(const HttpRequest& request, const std::map<std::string, std::string>& errors) : request_(request), errors_(errors) {}

  void Text(const std::string& name, const std::string& label, const std::string& hint, const std::string& type = "text",
            const std::string& inputmode = "", const std::string& autocomplete = "") {
    kainjow::mustache::data q = Base(name, label, hint);
    q.set("text", kainjow::mustache::data::type::bool_true);
    q.set("type", type);
    q.set("value", request_.Param(name).value_or(""));
    if (!inputmode.empty()) q.set("inputmode", inputmode);
    if (!autocomplete.empty()) q.set("autocomplete", autocomplete);
    list_.push_back(q);
  }
  // `row`: the choices side by side (short ones: はい・いいえ・わからない).
  void Pick(const std::string& name, const std::string& label, const std::string& hint, bool many,
            const std::vector<std::pair<std::string, std::string>>& choices, bool row = false) {
    kainjow::mustache::data q = Base(name, label, hint);
    q.set("pick", kainjow::mustache::data::type::bool_true);
    if (row) q.set("row", kainjow::mustache::data::type::bool_true);
    std::set<std::string> chosen;
    auto [lo, hi] = request_.params.equal_range(name);
    for (auto it = lo; it != hi; ++it) chosen.insert(it->second);
    kainjow::mustache::data cs{kainjow::mustache::data::type::list};
    for (const auto& [value, text] : choices) {
      kainjow::mustache::data c;
      c.set("kind", std::string(many ? "checkbox" : "radio"));
      c.set("field", name);
      c.set("value", value);
      c.set("label", text);
      if (chosen.count(value)) c.set("on", kainjow::mustache::data::type::bool_true);
      cs.push_back(c);
    }
    q.set("choices", cs);
    list_.push_back(q);
  }
  void YesNo(const std::string& name, const std::string& label, const std::string& hint) {
    Pick(name, label, hint, false, {{"yes", "はい"}, {"no", "いいえ"}});
  }
  void File(const std::string& name, const std::string& label, const std::string& hint) {
    kainjow::mustache::data q = Base(name, label, hint);
    q.set("file", kainjow::mustache::data::type::bool_true);
    list_.push_back(q);
  }
  // The questions as HTML (templates::kCareQuestions).
  std::string Html() const;

 private:
  kainjow::mustache::data Base(const std::string& name, const std::string& label, const std::string& hint) const {
    kainjow::mustache::data q;
    q.set("name", name);
    q.set("label", label);
    if (!hint.empty()) q.set("hint", hint);
    if (auto it = errors_.find(name); it != errors_.end()) q.set("err", it->second);
    return q;
  }

  const HttpRequest& request_;
  const std::map<std::string, std::string>& errors_;
  kainjow::mustache::data list_{kainjow::mustache::data::type::list};
};

// The daily check-in's questions (care::ReadHealthReport reads the answers): the urgent symptoms
// first (their list is shown above them), temperature, SpO2, the daily items, a note.
void CheckInQuestions(Questions& q);

}  // namespace madoguchi::web
