// src/formats/care_records.hpp — what care keeps as JSON in its tables: an application's answers
// (care::ApplicationForm, as the form was read) the pre-read of its kit photo, and the daily health reports. Written and
// read back only by the store: a stored value that does not read is an error (kInternal
// "bad_stored_application"), never a default.
#pragma once

#include <string>
#include <string_view>

#include "care/application.hpp"
#include "care/kit_read.hpp"
#include "care/triage.hpp"
#include "common/status.hpp"

namespace madoguchi::formats {

std::string ApplicationFormJson(const care::ApplicationForm& form);
Result<care::ApplicationForm> ParseApplicationFormJson(std::string_view json);

std::string KitReadingJson(const care::KitReading& reading);
Result<care::KitReading> ParseKitReadingJson(std::string_view json);

// A daily health report (the form's answers, or the number replied).
std::string HealthReportJson(const care::HealthReport& report);
Result<care::HealthReport> ParseHealthReportJson(std::string_view json);

}  // namespace madoguchi::formats
