// src/web/error_mapping.hpp — the one place where a Status becomes an HTTP answer.
#pragma once

#include "common/status.hpp"
#include "web/http_types.hpp"

namespace madoguchi::web {

// HTTP status for `code`. A new StatusCode fails to compile until it is mapped here.
int HttpStatusFor(StatusCode code);

// {"error":{"code":key,"message":...,"field":...}} with HttpStatusFor(status.code()).
// REQUIRES: !status.ok().
HttpResponse JsonError(const Status& status);
// The same body with an explicit HTTP status (protocol errors: 404 route, 405, 415).
HttpResponse JsonError(int http_status, const Status& status);

// A short Japanese sentence for people, by error key and code.
std::string JapaneseMessage(const Status& status);

}  // namespace madoguchi::web
