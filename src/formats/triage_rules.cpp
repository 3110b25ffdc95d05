// src/formats/triage_rules.cpp — see triage_rules.hpp.
#include "formats/triage_rules.hpp"

#include <nlohmann/json.hpp>

#include "formats/internal/json_support.hpp"

namespace madoguchi::formats {

using nlohmann::json;

namespace {

Result<int> Whole(const json& v, const std::string& field) {
  if (!v.is_number_integer() || v.get<int64_t>() < -1000 || v.get<int64_t>() > 1000) {
    return InvalidArgumentError(field, "must be a whole number");
  }
  return static_cast<int>(v.get<int64_t>());
}

Status MustBeTrue(const json& v, const std::string& field) {
  if (!v.is_boolean() || !v.get<bool>()) return InvalidArgumentError(field, "must be true (leave it out otherwise)");
  return Status::Ok();
}

Result<care::TriageRule> ParseRule(const json& j, const std::string& where) {
  if (!j.is_object()) return InvalidArgumentError(where, "must be an object {\"id\", \"priority\", \"when\"}");
  MADOGUCHI_RETURN_IF_ERROR(internal::OnlyKeys(j, {"id", "priority", "when"}, where));
  care::TriageRule r;
  if (!j.contains("id") || !j["id"].is_string()) return InvalidArgumentError(where + ".id", "must be text");
  r.id = j["id"].get<std::string>();
  if (!j.contains("priority") || !j["priority"].is_string()) return InvalidArgumentError(where + ".priority", "must be P0, P1, P2 or P3");
  MADOGUCHI_ASSIGN_OR_RETURN(r.priority, care::ParsePriority(j["priority"].get<std::string>(), where + ".priority"));
  if (!j.contains("when")) return r;
  const json& w = j["when"];
  const std::string at = where + ".when";
  if (!w.is_object()) return InvalidArgumentError(at, "must be an object of conditions");
  MADOGUCHI_RETURN_IF_ERROR(internal::OnlyKeys(w,
                                               {"urgent_symptom", "spo2_at_most", "spo2_drop_at_least", "any_yes", "fever_days_at_least",
                                                "number_reply_in", "missed_check_in", "risk_score_at_least"},
                                               at));
  if (w.contains("urgent_symptom")) {
    MADOGUCHI_RETURN_IF_ERROR(MustBeTrue(w["urgent_symptom"], at + ".urgent_symptom"));
    r.urgent_symptom = true;
  }
  if (w.contains("missed_check_in")) {
    MADOGUCHI_RETURN_IF_ERROR(MustBeTrue(w["missed_check_in"], at + ".missed_check_in"));
    r.missed_check_in = true;
  }
  for (auto [key, slot] :
       {std::pair{"spo2_at_most", &r.spo2_at_most}, std::pair{"spo2_drop_at_least", &r.spo2_drop_at_least},
        std::pair{"fever_days_at_least", &r.fever_days_at_least}, std::pair{"risk_score_at_least", &r.risk_score_at_least}}) {
    if (!w.contains(key)) continue;
    MADOGUCHI_ASSIGN_OR_RETURN(int v, Whole(w[key], at + "." + key));
    *slot = v;
  }
  if (w.contains("any_yes")) {
    const json& list = w["any_yes"];
    if (!list.is_array() || list.empty()) return InvalidArgumentError(at + ".any_yes", "must be a list of daily items");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string f = at + ".any_yes[" + std::to_string(i) + "]";
      if (!list[i].is_string()) return InvalidArgumentError(f, "must be an item's name");
      MADOGUCHI_ASSIGN_OR_RETURN(care::Symptom s, care::ParseSymptom(list[i].get<std::string>(), f));
      r.any_yes.push_back(s);
    }
  }
  if (w.contains("number_reply_in")) {
    const json& list = w["number_reply_in"];
    if (!list.is_array() || list.empty())
      return InvalidArgumentError(at + ".number_reply_in", "must be a list of no_change, worse, call_me");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string f = at + ".number_reply_in[" + std::to_string(i) + "]";
      if (!list[i].is_string()) return InvalidArgumentError(f, "must be no_change, worse or call_me");
      MADOGUCHI_ASSIGN_OR_RETURN(care::NumberReply n, care::ParseNumberReply(list[i].get<std::string>(), f));
      r.number_reply_in.push_back(n);
    }
  }
  return r;
}

}  // namespace

Result<care::TriageRuleSet> ParseTriageRules(std::string_view text) {
  MADOGUCHI_ASSIGN_OR_RETURN(json j, internal::ParseObject(text, "triage rules"));
  MADOGUCHI_RETURN_IF_ERROR(internal::OnlyKeys(j, {"version", "fever_celsius", "score", "rules"}, ""));
  care::TriageRuleSet set;
  if (!j.contains("version") || !j["version"].is_string()) return InvalidArgumentError("version", "must be text");
  set.version = j["version"].get<std::string>();
  if (j.contains("fever_celsius")) {
    if (!j["fever_celsius"].is_number()) return InvalidArgumentError("fever_celsius", "must be a number");
    set.fever_celsius = j["fever_celsius"].get<double>();
  }
  if (j.contains("score")) {
    const json& s = j["score"];
    if (!s.is_object()) return InvalidArgumentError("score", "must be an object of points");
    MADOGUCHI_RETURN_IF_ERROR(internal::OnlyKeys(s, {"age_75_and_over", "age_65_to_74", "per_risk_factor"}, "score"));
    for (auto [key, slot] : {std::pair{"age_75_and_over", &set.score_age_75_and_over}, std::pair{"age_65_to_74", &set.score_age_65_to_74},
                             std::pair{"per_risk_factor", &set.score_per_risk_factor}}) {
      if (!s.contains(key)) continue;
      MADOGUCHI_ASSIGN_OR_RETURN(*slot, Whole(s[key], std::string("score.") + key));
    }
  }
  if (!j.contains("rules") || !j["rules"].is_array()) return InvalidArgumentError("rules", "must be a list of rules");
  for (size_t i = 0; i < j["rules"].size(); ++i) {
    MADOGUCHI_ASSIGN_OR_RETURN(care::TriageRule r, ParseRule(j["rules"][i], "rules[" + std::to_string(i) + "]"));
    set.rules.push_back(std::move(r));
  }
  MADOGUCHI_RETURN_IF_ERROR(care::ValidateTriageRules(set));
  return set;
}

std::string TriageRulesJson(const care::TriageRuleSet& set) {
  json rules = json::array();
  for (const care::TriageRule& r : set.rules) {
    json when = json::object();
    if (r.urgent_symptom) when["urgent_symptom"] = true;
    if (r.spo2_at_most) when["spo2_at_most"] = *r.spo2_at_most;
    if (r.spo2_drop_at_least) when["spo2_drop_at_least"] = *r.spo2_drop_at_least;
    if (!r.any_yes.empty()) {
      json list = json::array();
      for (care::Symptom s : r.any_yes) list.push_back(std::string(care::SymptomName(s)));
      when["any_yes"] = list;
    }
    if (r.fever_days_at_least) when["fever_days_at_least"] = *r.fever_days_at_least;
    if (!r.number_reply_in.empty()) {
      json list = json::array();
      for (care::NumberReply n : r.number_reply_in) list.push_back(std::string(care::NumberReplyName(n)));
      when["number_reply_in"] = list;
    }
    if (r.missed_check_in) when["missed_check_in"] = true;
    if (r.risk_score_at_least) when["risk_score_at_least"] = *r.risk_score_at_least;
    rules.push_back({{"id", r.id}, {"priority", std::string(care::PriorityName(r.priority))}, {"when", when}});
  }
  json j = {{"version", set.version},
            {"fever_celsius", set.fever_celsius},
            {"score",
             {{"age_75_and_over", set.score_age_75_and_over},
              {"age_65_to_74", set.score_age_65_to_74},
              {"per_risk_factor", set.score_per_risk_factor}}},
            {"rules", rules}};
  return j.dump(2);
}

}  // namespace madoguchi::formats
