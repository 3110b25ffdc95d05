// Helpers for the home-care web tests: a resident's application as the pages post it (with real
// kit photos from ../shared/data/kits), posted with the residents' CSRF cookie and field.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "care/application.hpp"
#include "support/shared_data.hpp"
#include "support/web_fixture.hpp"
#include "web/web_app.hpp"

namespace madoguchi::testing {

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A resident's form post, with the residents' CSRF cookie and field; "kit_photo" and "id_photo"
// go as uploaded files.
inline Call ResidentPost(const std::string& path, const std::multimap<std::string, std::string>& fields) {
  Call c;
  c.method = "POST";
  c.path = path;
  c.Header("Cookie", std::string(web::WebApp::kResidentCsrfCookie) + "=resident-token");
  c.Param("csrf_token", "resident-token");
  for (const auto& [k, v] : fields) c.Param(k, v);
  for (const char* file : {"kit_photo", "id_photo"}) {
    if (fields.count(file)) c.file_fields.insert(file);
  }
  return c;
}

// The eligibility screen's answers of someone who may register: 40 years old, tested 2026-12-01.
inline std::multimap<std::string, std::string> CareScreen() {
  return {{"birth_date", "1986-05-01"},
          {"tested_on", "2026-12-01"},
          {"kit", care::DefaultCareSettings().eligibility.kits[0].name},
          {"pregnant", "no"},
          {"mild", "yes"}};
}

// The whole application of 熊本 花子 (090-1234-5678), with `kit_file` from ../shared/data/kits as the
// kit photo (none when empty) and the photo with GPS EXIF as the ID photo.
inline std::multimap<std::string, std::string> CareForm(const std::string& kit_file) {
  auto f = CareScreen();
  f.insert({{"family_name", "熊本"},
            {"given_name", "花子"},
            {"family_kana", "クマモト"},
            {"given_kana", "ハナコ"},
            {"sex", "female"},
            {"phone", "090-1234-5678"},
            {"postal_code", "862-8570"},
            {"address", "熊本県熊本市中央区水前寺6-18-1"},
            {"tested_time", "9:30"},
            {"onset_on", "2026-11-30"},
            {"symptom", "fever"},
            {"consent", "1"}});
  if (!kit_file.empty()) f.insert({"kit_photo", Slurp(SharedData("kits") / kit_file)});
  f.insert({"id_photo", Slurp(SharedData("kits") / "photo_with_gps_exif.jpg")});
  return f;
}

}  // namespace madoguchi::testing
