// src/web/http/http_types.hpp — requests and responses as plain values, independent of the HTTP
// library, so the application can be exercised without sockets.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace madoguchi::web {

struct HttpRequest {
  std::string method;                               // "GET", "POST", ...
  std::string path;                                 // without the query string
  std::multimap<std::string, std::string> params;   // query string and urlencoded form fields
  std::multimap<std::string, std::string> query;    // the query string's fields alone
  std::set<std::string> file_fields;                // params that are uploaded files' bytes (any encoding)
  std::multimap<std::string, std::string> headers;  // names as sent; look up with Header()
  std::string body;
  std::string remote_addr;  // the client's address (WebApp sets it from a trusted proxy's X-Forwarded-For)
  std::string peer_addr;    // the socket's peer, as the listener saw it
  bool tls = false;
  bool residents_only = false;  // arrived on the public listener while a staff listener serves staff

  // First header named `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  // First query/form parameter `name`, or nullopt.
  std::optional<std::string> Param(std::string_view name) const;
  // The value of cookie `name`, or "".
  std::string Cookie(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  HttpResponse& AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

HttpResponse HtmlResponse(int status, std::string html);
HttpResponse RedirectResponse(std::string location);  // 303 See Other

// Percent-encodes a path or query component (RFC 3986 unreserved characters pass through).
std::string UrlEncode(std::string_view s);
// Adds the pairs of a query string or urlencoded form ("a=1&b=x+y%21") to `into`, decoded ('+' is
// a space, %XX a byte). A pair without '=' has an empty value.
void ParseQueryString(std::string_view query, std::multimap<std::string, std::string>& into);

}  // namespace madoguchi::web
