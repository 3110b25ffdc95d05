// src/formats/care_records.cpp — see care_records.hpp.
#include "formats/care_records.hpp"

#include <nlohmann/json.hpp>

namespace madoguchi::formats {

using nlohmann::json;

namespace {

int64_t DayNumber(booking::Day d) { return d.time_since_epoch().count(); }
booking::Day DayOf(int64_t n) { return booking::Day{std::chrono::days{n}}; }

Status Bad(const std::string& what) { return InternalError("a stored application does not read: " + what, "bad_stored_application"); }

}  // namespace

std::string ApplicationFormJson(const care::ApplicationForm& f) {
  const care::EligibilityAnswers& a = f.screen.answers;
  json risks = json::array();
  for (care::RiskFactor r : f.screen.risk_factors) risks.push_back(care::RiskFactorName(r));
  json symptoms = json::array();
  for (care::OnsetSymptom s : f.symptoms) symptoms.push_back(care::OnsetSymptomName(s));
  json j = {{"birth_date", DayNumber(a.birth_date)},
            {"tested_on", DayNumber(a.tested_on)},
            {"kit", a.kit},
            {"has_risk_factor", a.has_risk_factor},
            {"pregnant", a.pregnant},
            {"mild", a.mild_symptoms},
            {"risks", risks},
            {"family_name", f.applicant.family_name},
            {"given_name", f.applicant.given_name},
            {"family_kana", f.applicant.family_kana},
            {"given_kana", f.applicant.given_kana},
            {"sex", care::SexName(f.applicant.sex)},
            {"phone", f.applicant.phone},
            {"email", f.applicant.email},
            {"contact", care::ContactName(f.applicant.contact)},
            {"postal_code", f.applicant.postal_code},
            {"address", f.applicant.address},
            {"tested_minute", f.tested_minute},
            {"symptoms", symptoms},
            {"consent", f.consent}};
  if (a.vaccinations) j["vaccinations"] = *a.vaccinations;
  if (a.smoker) j["smoker"] = *a.smoker;
  if (a.height_cm) j["height_cm"] = *a.height_cm;
  if (a.weight_kg) j["weight_kg"] = *a.weight_kg;
  if (f.onset) j["onset"] = DayNumber(*f.onset);
  return j.dump();
}

Result<care::ApplicationForm> ParseApplicationFormJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Bad("not a JSON object");
  care::ApplicationForm f;
  try {
    care::EligibilityAnswers& a = f.screen.answers;
    a.birth_date = DayOf(j.at("birth_date").get<int64_t>());
    a.tested_on = DayOf(j.at("tested_on").get<int64_t>());
    a.kit = j.at("kit").get<std::string>();
    a.has_risk_factor = j.at("has_risk_factor").get<bool>();
    a.pregnant = j.at("pregnant").get<bool>();
    a.mild_symptoms = j.at("mild").get<bool>();
    if (j.contains("vaccinations")) a.vaccinations = j["vaccinations"].get<int>();
    if (j.contains("smoker")) a.smoker = j["smoker"].get<bool>();
    if (j.contains("height_cm")) a.height_cm = j["height_cm"].get<double>();
    if (j.contains("weight_kg")) a.weight_kg = j["weight_kg"].get<double>();
    for (const json& r : j.at("risks")) {
      auto risk = care::ParseRiskFactor(r.get<std::string>());
      if (!risk.ok()) return Bad(risk.status().message());
      f.screen.risk_factors.push_back(*risk);
    }
    f.applicant.family_name = j.at("family_name").get<std::string>();
    f.applicant.given_name = j.at("given_name").get<std::string>();
    f.applicant.family_kana = j.at("family_kana").get<std::string>();
    f.applicant.given_kana = j.at("given_kana").get<std::string>();
    auto sex = care::ParseSex(j.at("sex").get<std::string>());
    if (!sex.ok()) return Bad(sex.status().message());
    f.applicant.sex = *sex;
    f.applicant.phone = j.at("phone").get<std::string>();
    f.applicant.email = j.at("email").get<std::string>();
    if (j.contains("contact")) {  // absent in applications stored before the choice was asked
      auto contact = care::ParseContact(j.at("contact").get<std::string>());
      if (!contact.ok()) return Bad(contact.status().message());
      f.applicant.contact = *contact;
    }
    f.applicant.postal_code = j.at("postal_code").get<std::string>();
    f.applicant.address = j.at("address").get<std::string>();
    f.tested_minute = j.at("tested_minute").get<int>();
    if (j.contains("onset")) f.onset = DayOf(j["onset"].get<int64_t>());
    for (const json& s : j.at("symptoms")) {
      auto symptom = care::ParseOnsetSymptom(s.get<std::string>());
      if (!symptom.ok()) return Bad(symptom.status().message());
      f.symptoms.push_back(*symptom);
    }
    f.consent = j.at("consent").get<bool>();
  } catch (const json::exception& e) {
    return Bad(e.what());
  }
  return f;
}

std::string KitReadingJson(const care::KitReading& r) {
  return json{{"category", care::KitCategoryName(r.category)},
              {"control_line", r.control_line},
              {"test_line", r.test_line},
              {"test_line_seen", r.test_line_seen},
              {"edge_blur", r.edge_blur},
              {"glare_share", r.glare_share},
              {"long_side_share", r.long_side_share},
              {"template", r.template_name}}
      .dump();
}

Result<care::KitReading> ParseKitReadingJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Bad("a kit reading is not a JSON object");
  care::KitReading r;
  try {
    auto c = care::ParseKitCategory(j.at("category").get<std::string>());
    if (!c.ok()) return Bad(c.status().message());
    r.category = *c;
    r.control_line = j.at("control_line").get<double>();
    r.test_line = j.at("test_line").get<double>();
    r.test_line_seen = j.at("test_line_seen").get<bool>();
    r.edge_blur = j.at("edge_blur").get<double>();
    r.glare_share = j.at("glare_share").get<double>();
    r.long_side_share = j.at("long_side_share").get<double>();
    r.template_name = j.at("template").get<std::string>();
  } catch (const json::exception& e) {
    return Bad(e.what());
  }
  return r;
}

std::string HealthReportJson(const care::HealthReport& r) {
  json j = {{"at", r.at_ms}, {"urgent", r.urgent}};
  if (r.temperature) j["temperature"] = *r.temperature;
  if (r.spo2) j["spo2"] = *r.spo2;
  if (r.number_reply) {
    j["number_reply"] = care::NumberReplyName(*r.number_reply);
  } else {
    json answers = json::object();
    for (size_t i = 0; i < care::kSymptomCount; ++i) {
      const care::Answer a = r.answers[i];
      answers[std::string(care::SymptomName(static_cast<care::Symptom>(i)))] = a == care::Answer::kYes  ? "yes"
                                                                               : a == care::Answer::kNo ? "no"
                                                                                                        : "unknown";
    }
    j["answers"] = answers;
  }
  if (!r.note.empty()) j["note"] = r.note;
  return j.dump();
}

Result<care::HealthReport> ParseHealthReportJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Bad("a health report is not a JSON object");
  care::HealthReport r;
  try {
    r.at_ms = j.at("at").get<int64_t>();
    r.urgent = j.at("urgent").get<bool>();
    if (j.contains("temperature")) r.temperature = j["temperature"].get<double>();
    if (j.contains("spo2")) r.spo2 = j["spo2"].get<int>();
    if (j.contains("number_reply")) {
      auto n = care::ParseNumberReply(j["number_reply"].get<std::string>());
      if (!n.ok()) return Bad(n.status().message());
      r.number_reply = *n;
    }
    if (j.contains("answers")) {
      for (const auto& [name, v] : j["answers"].items()) {
        auto s = care::ParseSymptom(name);
        if (!s.ok()) return Bad(s.status().message());
        const std::string a = v.get<std::string>();
        if (a != "yes" && a != "no" && a != "unknown") return Bad("an answer is not yes, no or unknown");
        r.answers[static_cast<size_t>(*s)] = a == "yes" ? care::Answer::kYes : a == "no" ? care::Answer::kNo : care::Answer::kUnknown;
      }
    }
    if (j.contains("note")) r.note = j["note"].get<std::string>();
  } catch (const json::exception& e) {
    return Bad(e.what());
  }
  return r;
}

}  // namespace madoguchi::formats
