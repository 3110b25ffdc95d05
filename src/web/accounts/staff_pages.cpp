// Admins manage the staff of their municipality on a page: who has which role, and a form to add
// someone. Adding goes through the same code as POST /api/v1/t/{tenant}/users.
#include <kainjow/mustache.hpp>

#include <algorithm>

#include "common/crypto.hpp"
#include "common/password_dictionary.hpp"
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
<div class="scroll"><table><thead><tr><th>氏名</th><th>ログイン名</th><th>役割</th><th>担当の自治体</th><th>状態</th><th>登録日</th><th>パスワード</th></tr></thead><tbody>
{{#users}}<tr><td>{{name}}</td><td>{{login}}</td>
<td>{{#self}}{{role}}（あなた）{{/self}}{{^self}}<form method="post" action="/t/{{tenant}}/staff/{{id}}/role" class="inline">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<label for="role-{{id}}" class="visually-hidden">{{name}} さんの役割</label>
<select id="role-{{id}}" name="role">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select>
<button type="submit" class="secondary">役割を変える</button></form>{{/self}}</td>
<td class="tenants">{{tenant_names}}{{#tenant_form}}<form method="post" action="/t/{{tenant}}/staff/{{id}}/tenants" class="inline">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<fieldset><legend class="visually-hidden">{{name}} さんの担当の自治体</legend>
{{#choices}}<label class="check"><input type="checkbox" name="tenant.{{code}}" value="1"{{#checked}} checked{{/checked}}> {{label}}</label>{{/choices}}
</fieldset><button type="submit" class="secondary">担当を変える</button></form>{{/tenant_form}}</td>
<td>{{state}}{{^self}}<form method="post" action="/t/{{tenant}}/staff/{{id}}/{{toggle}}" class="inline">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<button type="submit" class="secondary" aria-label="{{name}} さんを{{toggle_label}}">{{toggle_label}}</button></form>{{/self}}</td>
<td>{{created}}</td>
<td>{{#must_change}}次のログインで本人が変更{{/must_change}}{{^self}}<form method="post" action="/t/{{tenant}}/staff/{{id}}/reset" class="inline">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<label for="pw-{{id}}" class="visually-hidden">{{name}} さんの仮のパスワード</label>
<input id="pw-{{id}}" name="password" type="password" autocomplete="new-password" placeholder="仮のパスワード" class="short-pw">
<button type="submit" class="secondary">再設定する</button></form>{{/self}}</td></tr>{{/users}}
</tbody></table></div>
<p class="hint">役割の変更・無効化・パスワードの再設定をすると、その人はログインし直しになります。再設定したパスワードは本人に安全な方法で伝えてください。次にログインしたとき、本人が自分のパスワードに変えます。</p>
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

const char* kPasswordPage = R"html(<h1>パスワードの変更</h1>
{{#must}}<p class="note" role="status">管理者が仮のパスワードを設定しました。続けるには、あなたが決めたパスワードに変えてください。</p>{{/must}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<form method="post" action="/password" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="password">新しいパスワード（10文字以上）</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required>
  <label for="password_again">もう一度</label>
  <input id="password_again" name="password_again" type="password" autocomplete="new-password" required>
  <button type="submit">変更する</button>
</form>
<p class="hint">変更すると、ほかの端末のログインも終わります。新しいパスワードでログインし直してください。</p>
)html";

// Every role as an <option>, `selected` chosen.
mustache::data RoleOptions(accounts::Role selected) {
  mustache::data roles{mustache::data::type::list};
  for (accounts::Role r : accounts::kAllRoles) {
    mustache::data o;
    o.set("value", accounts::RoleName(r));
    o.set("label", accounts::RoleLabelJa(r));
    if (r == selected) o.set("selected", mustache::data::type::bool_true);
    roles.push_back(o);
  }
  return roles;
}

}  // namespace

HttpResponse AccountsHandlers::StaffPage(RequestContext& ctx, int status, const std::string& done, const std::string& error,
                                         const std::string& f_name, const std::string& f_login, const std::string& f_role) {
  std::vector<store::User> users;
  std::optional<store::Tenant> tenant;
  std::vector<store::Tenant> mine;  // the admin's municipalities: those a member may be given
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(conn, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(mine, store::ListTenants(conn, ctx.principal->tenants));
    MADOGUCHI_ASSIGN_OR_RETURN(users, store::ListUsers(conn, ctx.tenant));
    return Audit(clock_, conn, ctx, ctx.tenant, "user.list", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data list{mustache::data::type::list};
  for (const auto& u : users) {
    mustache::data row;
    row.set("id", std::to_string(u.id));
    row.set("name", u.display_name);
    row.set("login", u.login);
    row.set("role", accounts::RoleLabelJa(u.role));
    row.set("created", FormatTokyo(u.created_at_ms).substr(0, 10));
    row.set("state", u.disabled ? "無効" : "有効");
    row.set("toggle", u.disabled ? "enable" : "disable");
    row.set("toggle_label", u.disabled ? "有効にする" : "無効にする");
    if (u.id == ctx.principal->user_id) row.set("self", mustache::data::type::bool_true);
    if (u.must_change_password) row.set("must_change", mustache::data::type::bool_true);
    row.set("roles", RoleOptions(u.role));
    std::string names;
    for (const std::string& code : u.tenants) {
      std::string name = code;
      for (const auto& t : mine) {
        if (t.code == code) name = t.name;
      }
      names += (names.empty() ? "" : "、") + name;
    }
    row.set("tenant_names", names);
    // Only an admin of several municipalities has a choice to make.
    if (mine.size() > 1 && u.id != ctx.principal->user_id) {
      mustache::data form;
      mustache::data choices{mustache::data::type::list};
      for (const auto& t : mine) {
        mustache::data c;
        c.set("code", t.code);
        c.set("label", t.name);
        if (std::find(u.tenants.begin(), u.tenants.end(), t.code) != u.tenants.end()) c.set("checked", mustache::data::type::bool_true);
        choices.push_back(c);
      }
      form.set("choices", choices);
      form.set("tenant", ctx.tenant);
      form.set("id", std::to_string(u.id));
      form.set("csrf", ctx.principal->csrf_token);
      form.set("name", u.display_name);
      row.set("tenant_form", form);
    }
    list.push_back(row);
  }
  // The add form: the role typed, else 「オペレーター」.
  auto typed_role = accounts::ParseRole(f_role);
  const mustache::data roles = RoleOptions(typed_role.ok() ? *typed_role : accounts::Role::kOperator);
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

HttpResponse AccountsHandlers::PageStaffChange(RequestContext& ctx) {
  const auto id = ParseId(ctx.path_params.at("id"));
  const std::string action = ctx.path_params.at("action");
  if (!id || (action != "role" && action != "disable" && action != "enable" && action != "reset" && action != "tenants")) {
    return StaffPage(ctx, 404, "", ui::ErrorText(Status(StatusCode::kNotFound, "unknown_action", "")), "", "", "");
  }
  std::optional<accounts::Role> role;
  if (action == "role") {
    auto r = accounts::ParseRole(ctx.request.Param("role").value_or(""));
    if (!r.ok()) return StaffPage(ctx, 422, "", ui::ErrorText(r.status()), "", "", "");
    role = *r;
  }
  std::vector<std::string> tenants;
  if (action == "tenants") {
    std::vector<std::string> chosen;
    for (const auto& [name, value] : ctx.request.params) {
      if (name.rfind("tenant.", 0) == 0 && value == "1") chosen.push_back(name.substr(7));
    }
    auto picked = accounts::ChooseTenants(ctx.principal->tenants, chosen);
    if (!picked.ok()) return StaffPage(ctx, HttpStatusFor(picked.status().code()), "", ui::ErrorText(picked.status()), "", "", "");
    tenants = *picked;
  }
  std::string hash;
  store::User who;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(who, StaffMember(conn, ctx, *id));
    return Status::Ok();
  });
  if (s.ok() && action == "reset") {
    // The admin's temporary password meets the same rules as any; it only opens the change page.
    const std::string password = ctx.request.Param("password").value_or("");
    s = accounts::ValidateNewPassword(password, who.login);
    if (s.ok()) s = crypto::CheckNotCommonPassword(password, who.login);
    if (s.ok()) {
      auto h = sessions_.HashPassword(password);
      if (h.ok()) hash = *h;
      else s = h.status();
    }
  }
  if (s.ok()) {
    s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
      MADOGUCHI_RETURN_IF_ERROR(StaffMember(conn, ctx, *id).status());
      const int64_t now = clock_.NowMs();
      if (action == "role") MADOGUCHI_RETURN_IF_ERROR(store::SetUserRole(conn, *id, *role, now));
      if (action == "disable" || action == "enable") MADOGUCHI_RETURN_IF_ERROR(store::SetUserDisabled(conn, *id, action == "disable", now));
      if (action == "reset") MADOGUCHI_RETURN_IF_ERROR(store::SetPasswordHash(conn, *id, hash, now, /*must_change=*/true));
      if (action == "tenants") MADOGUCHI_RETURN_IF_ERROR(store::SetUserTenants(conn, *id, tenants, now));
      const char* audited = action == "role"      ? "user.role"
                            : action == "tenants" ? "user.tenants"
                            : action == "reset"   ? "user.password_reset"
                            : action == "disable" ? "user.disable"
                                                  : "user.enable";
      return Audit(clock_, conn, ctx, ctx.tenant, audited, "user:" + std::to_string(*id));
    });
  }
  if (!s.ok()) return StaffPage(ctx, HttpStatusFor(s.code()), "", ui::ErrorText(s), "", "", "");
  const std::string name = who.display_name + " さん（" + who.login + "）";
  std::string done;
  if (action == "role") done = name + "の役割を「" + accounts::RoleLabelJa(*role) + "」にしました。";
  if (action == "disable") done = name + "を無効にしました。ログインできなくなり、いまのログインも終わりました。";
  if (action == "enable") done = name + "を有効にしました。";
  if (action == "tenants") {
    done = name + "の担当の自治体を変えました。";
    if (std::find(tenants.begin(), tenants.end(), ctx.tenant) == tenants.end()) done += "この自治体の職員の一覧からは外れました。";
  }
  if (action == "reset")
    done = name + "のパスワードを再設定しました。本人に伝えてください。次のログインで本人が新しいパスワードに変えます。";
  return StaffPage(ctx, 200, done, "", "", "", "");
}

HttpResponse AccountsHandlers::PasswordPage(RequestContext& ctx, int status, const std::string& error) {
  mustache::data d;
  d.set("csrf", ctx.principal->csrf_token);
  if (ctx.principal->must_change_password) d.set("must", mustache::data::type::bool_true);
  if (!error.empty()) d.set("error", error);
  return HtmlResponse(status, PageShell("パスワードの変更", Render(kPasswordPage, d), &*ctx.principal));
}

HttpResponse AccountsHandlers::PagePasswordForm(RequestContext& ctx) { return PasswordPage(ctx, 200, ""); }

HttpResponse AccountsHandlers::PagePasswordSave(RequestContext& ctx) {
  if (ctx.principal->via_api_token)
    return PasswordPage(ctx, 403, ui::ErrorText(Status(StatusCode::kPermissionDenied, "not_a_session", "")));
  const std::string password = ctx.request.Param("password").value_or("");
  if (password != ctx.request.Param("password_again").value_or("")) {
    return PasswordPage(ctx, 422, ui::ErrorText(InvalidArgumentError("password_again", "the two do not match", "passwords_differ")));
  }
  Status s = accounts::ValidateNewPassword(password, ctx.principal->login);
  if (s.ok()) s = crypto::CheckNotCommonPassword(password, ctx.principal->login);
  if (!s.ok()) return PasswordPage(ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  auto hash = sessions_.HashPassword(password);
  if (!hash.ok()) return PasswordPage(ctx, HttpStatusFor(hash.status().code()), ui::ErrorText(hash.status()));
  s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::SetPasswordHash(conn, ctx.principal->user_id, *hash, clock_.NowMs()));
    return Audit(clock_, conn, ctx, std::nullopt, "user.passwd", "user:" + std::to_string(ctx.principal->user_id));
  });
  if (!s.ok()) return PasswordPage(ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  // Every session ended with the old password, this one too: the login says why.
  return RedirectResponse("/login?changed=1");
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
