// Admins manage the staff of their municipality on a page: who has which role, and a form to add
// someone. Adding goes through the same code as POST /api/v1/t/{tenant}/users.
#include <kainjow/mustache.hpp>

#include "common/time_format.hpp"
#include "store/accounts/accounts.hpp"
#include "web/accounts/accounts_handlers.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

const char* kStaffPage = R"html(<h1>職員：{{tenant_name}}</h1>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<div class="scroll"><table><thead><tr><th>氏名</th><th>ログイン名</th><th>役割</th><th>登録日</th></tr></thead><tbody>
{{#users}}<tr><td>{{name}}</td><td>{{login}}</td><td>{{role}}</td><td>{{created}}</td></tr>{{/users}}
</tbody></table></div>
<h2>職員を追加する</h2>
<form method="post" action="/t/{{tenant}}/staff" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="display_name">氏名</label><input id="display_name" name="display_name" type="text" value="{{f_name}}" required>
  <label for="login">ログイン名（半角英数字）</label><input id="login" name="login" type="text" autocapitalize="none" value="{{f_login}}" required>
  <label for="role">役割</label>
  <select id="role" name="role">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select>
  <label for="password">最初のパスワード（10文字以上。本人に安全な方法で伝えてください）</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required>
  <button type="submit">追加する</button>
</form>
)html";

}  // namespace

HttpResponse AccountsHandlers::StaffPage(RequestContext& ctx, int status, const std::string& done, const std::string& error,
                                         const std::string& f_name, const std::string& f_login, const std::string& f_role) {
  std::vector<store::User> users;
  std::optional<store::Tenant> tenant;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(conn, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(users, store::ListUsers(conn, ctx.tenant));
    return Audit(clock_, conn, ctx, ctx.tenant, "user.list", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data list{mustache::data::type::list};
  for (const auto& u : users) {
    mustache::data row;
    row.set("name", u.display_name);
    row.set("login", u.login);
    row.set("role", accounts::RoleLabelJa(u.role));
    row.set("created", FormatTokyo(u.created_at_ms).substr(0, 10));
    list.push_back(row);
  }
  mustache::data roles{mustache::data::type::list};
  for (accounts::Role r : accounts::kAllRoles) {
    mustache::data o;
    o.set("value", accounts::RoleName(r));
    o.set("label", accounts::RoleLabelJa(r));
    if (f_role == accounts::RoleName(r) || (f_role.empty() && r == accounts::Role::kOperator))
      o.set("selected", mustache::data::type::bool_true);
    roles.push_back(o);
  }
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  d.set("users", list);
  d.set("roles", roles);
  d.set("f_name", f_name);
  d.set("f_login", f_login);
  if (!done.empty()) d.set("done", done);
  if (!error.empty()) d.set("error", error);
  return HtmlResponse(status, PageShell("職員", Render(kStaffPage, d), &*ctx.principal));
}

HttpResponse AccountsHandlers::PageStaff(RequestContext& ctx) { return StaffPage(ctx, 200, "", "", "", "", ""); }

HttpResponse AccountsHandlers::PageStaffCreate(RequestContext& ctx) {
  const std::string name = ctx.request.Param("display_name").value_or("");
  const std::string login = ctx.request.Param("login").value_or("");
  const std::string role = ctx.request.Param("role").value_or("");
  auto created = CreateUser(
      ctx, json{{"login", login}, {"display_name", name}, {"role", role}, {"password", ctx.request.Param("password").value_or("")}});
  if (created.ok()) return StaffPage(ctx, 200, name + " さん（" + login + "）を追加しました。", "", "", "", "");
  const Status& s = created.status();
  return StaffPage(ctx, HttpStatusFor(s.code()), "", ui::ErrorText(s), name, login, role);
}

}  // namespace madoguchi::web
