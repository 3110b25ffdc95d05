// src/store/care/settings.hpp — a tenant's home-care settings: the daily check-in's time and
// deadlines, the triage rule set and the registration rules (who may register, the kits, the
// days of home care, photo retention, clinic information) the tenant saved (`madoguchi care
// settings`), over the
// defaults for everything else. Read by both care ports, so every round, report and page of the
// tenant uses them.
#pragma once

#include <string>

#include "care/application.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

// The tenant's settings: care::DefaultCareSettings() with what the tenant saved. Errors:
// kInternal "bad_stored_care_settings" when what is stored no longer reads (never the defaults
// in its place); the database's.
Result<care::CareSettings> LoadCareSettings(Connection& conn, const std::string& tenant);

// Saves the tenant's settings: the check-in rules, the triage rule set, and the registration rules
// (eligibility, kits, episode and retention, clinic information), each checked first
// (kInvalidArgument naming the rule, nothing saved). Errors: kNotFound "tenant_not_found"; the
// database's.
Status SaveCareSettings(Connection& conn, const std::string& tenant, const care::CareSettings& settings, int64_t now_ms);

}  // namespace madoguchi::store
