// src/web/http/error_mapping.hpp — the one place where a Status becomes an HTTP answer.
#pragma once

#include "common/status.hpp"
#include "web/http/http_types.hpp"

namespace madoguchi::web {

// HTTP status for `code`. A new StatusCode fails to compile until it is mapped here.
int HttpStatusFor(StatusCode code);

// {"error":{"code":key,"message":...,"field":...}} with HttpStatusFor(status.code()).
// REQUIRES: !status.ok().
HttpResponse JsonError(const Status& status);
// The same body with an explicit HTTP status (protocol errors: 404 route, 405, 415).
HttpResponse JsonError(int http_status, const Status& status);

// What a person reads is not mapped here: see web/ui/messages.hpp (the one catalogue).

}  // namespace madoguchi::web
