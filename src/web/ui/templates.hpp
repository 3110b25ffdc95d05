// src/web/ui/templates.hpp — HTML templates (Mustache, auto-escaping) and static assets, compiled
// into the binary so a deployment is one file.
#pragma once

#include <string>
#include <string_view>

namespace madoguchi::web::templates {

extern const char* const kLayout;           // {{title}} {{#user}}…{{/user}} {{{content}}}
extern const char* const kLogin;            // {{error}} {{login}} {{csrf}} {{next}}
extern const char* const kHome;             // {{display_name}} {{role_label}} {{#tenants}}…{{/tenants}}
extern const char* const kAudit;            // {{tenant_name}} {{tenant}} {{#entries}}…{{/entries}}
extern const char* const kPlans;            // {{tenant}} {{tenant_name}} {{csrf}} {{scenario}} {{#error}} {{#plans}}
extern const char* const kExampleScenario;  // examples/plan_city_50k.json, compiled in
extern const char* const kError;            // {{message}}
extern const char* const kAppCss;

// Residents' pages (resident_templates.cpp).
extern const char* const kResidentLayout;
extern const char* const kResidentError;
extern const char* const kResidentWaitlistForm;
extern const char* const kResidentEmailForm;
extern const char* const kResidentSignIn;
extern const char* const kResidentWaiting;
extern const char* const kResidentHome;
extern const char* const kResidentPick;
extern const char* const kResidentConfirm;
extern const char* const kResidentCss;

// Home-test applications (care_templates.cpp).
extern const char* const kCareLayout;     // {{title}} {{tenant_name}} {{{content}}} {{#phone}}
extern const char* const kCareQuestions;  // {{#questions}}: text, pick (choices) or file, each with {{err}}
extern const char* const kCareScreen;     // {{tenant}} {{csrf}} {{#errors}} {{#questions}}
extern const char* const kCareRefused;    // {{#reasons}} {{clinic}}
extern const char* const kCareForm;       // {{#carried}} {{#questions}} {{consent}} {{consent_err}}
extern const char* const kCareReceipt;    // {{receipt}} {{{status}}}
extern const char* const kCareStatus;     // {{receipt}} {{state}} {{#retake}} {{token}} {{line_code}} {{#line_linked}}
extern const char* const kCareQueue;      // {{waiting}} {{#entries}} {{#counts}}
extern const char* const kCareReview;     // {{id}} {{receipt}} answers, {{#decisions}}
extern const char* const kCareReviewJs;
extern const char* const kCareCheckIn;      // {{name}} {{day}} {{#urgent_list}} {{{questions}}} {{#answered}} {{#errors}}
extern const char* const kCareCheckInDone;  // {{#call119}} {{#we_call}} {{#thanks}} {{again}}
extern const char* const kCareCalls;        // {{#entries}} the call list
extern const char* const kCarePatient;      // {{name}} … {{#reports}} {{#calls}} {{#outcomes}} {{#doctor}}
extern const char* const kCareDashboard;    // {{#days}} {{#p0}} counts
extern const char* const kCareLiveJs;       // polls the dashboard's JSON and redraws the P0 list

}  // namespace madoguchi::web::templates
