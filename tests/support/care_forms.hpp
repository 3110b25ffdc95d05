// Helpers for the home-care web tests: a resident's application as the pages post it (with real
// kit photos from ../shared/data/kits), posted with the residents' CSRF cookie and field.
#pragma once

#include <map>
#include <string>

#include "care/application.hpp"
#include "support/care_data.hpp"
#include "support/shared_data.hpp"
#include "support/web_fixture.hpp"
#include "web/web_app.hpp"

namespace madoguchi::testing {

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

// The whole application of 熊本 花子 (CareAnswers), with `kit_file` from ../shared/data/kits as the
// kit photo (none when empty) and the photo with GPS EXIF as the ID photo.
inline std::multimap<std::string, std::string> CareForm(const std::string& kit_file) {
  auto f = CareAnswers();
  if (!kit_file.empty()) f.insert({"kit_photo", Slurp(SharedData("kits") / kit_file)});
  f.insert({"id_photo", Slurp(SharedData("kits") / "photo_with_gps_exif.jpg")});
  return f;
}

}  // namespace madoguchi::testing
