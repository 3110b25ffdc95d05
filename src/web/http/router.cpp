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

bool MatchPattern(const std::string& pattern, std::string_view path, std::map<std::string, std::string>* params) {
  if (path.empty() || path[0] != '/') return false;
  const auto want = Split(pattern);
  const auto have = Split(path);
  if (want.size() != have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (have[i].empty()) return false;
      (*params)[std::string(want[i].substr(1, want[i].size() - 2))] = std::string(have[i]);
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match m;
  const std::string& effective = method == "HEAD" ? std::string("GET") : method;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, &params)) continue;
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
