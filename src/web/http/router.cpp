#include "web/http/router.hpp"

#include <algorithm>

namespace madoguchi::web {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t pos = 1;  // skip the leading '/'
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return parts;
}

bool IsParam(std::string_view segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }

// The path's segments against a pattern's; each {name} segment's value goes into `params`.
bool MatchSegments(const std::vector<std::string>& want, const std::vector<std::string_view>& have,
                   std::map<std::string, std::string>* params) {
  if (want.size() != have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (IsParam(want[i])) {
      if (have[i].empty()) return false;
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  for (size_t i = 0; i < want.size(); ++i) {
    if (IsParam(want[i])) (*params)[want[i].substr(1, want[i].size() - 2)] = std::string(have[i]);
  }
  return true;
}

}  // namespace

void Router::Add(Route route) {
  std::vector<std::string> segments;
  for (std::string_view part : Split(route.pattern)) segments.emplace_back(part);
  segments_.push_back(std::move(segments));
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match m;
  const std::string& effective = method == "HEAD" ? std::string("GET") : method;
  if (path.empty() || path[0] != '/') return m;
  const std::vector<std::string_view> have = Split(path);  // once, not once per route
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    std::map<std::string, std::string> params;
    if (!MatchSegments(segments_[i], have, &params)) continue;
    if (r.method == effective) {
      m.route = &r;
      m.params = std::move(params);
      m.allowed_methods.clear();
      return m;
    }
    if (std::find(m.allowed_methods.begin(), m.allowed_methods.end(), r.method) == m.allowed_methods.end()) {
      m.allowed_methods.push_back(r.method);
    }
  }
  return m;
}

}  // namespace madoguchi::web
