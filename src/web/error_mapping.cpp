#include "web/error_mapping.hpp"

#include <nlohmann/json.hpp>

namespace madoguchi::web {

int HttpStatusFor(StatusCode code) {
  switch (code) {  // no default: -Werror=switch makes a new code a build error until mapped
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 422;
    case StatusCode::kMalformed: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kConflict: return 409;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

HttpResponse JsonError(int http_status, const Status& status) {
  nlohmann::json err = {{"code", status.key().empty() ? StatusCodeName(status.code()) : status.key()},
                        {"message", status.message()}};
  if (!status.field().empty()) err["field"] = status.field();
  HttpResponse r;
  r.status = http_status;
  // replace: an error may quote input that is not valid UTF-8
  r.body = nlohmann::json{{"error", err}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpResponse JsonError(const Status& status) { return JsonError(HttpStatusFor(status.code()), status); }

std::string JapaneseMessage(const Status& status) {
  const std::string& key = status.key();
  if (key == "bad_credentials") return "ログイン名またはパスワードが違います。";
  if (key == "throttled") return "失敗が続いたため、しばらくログインできません。15分ほど待ってからもう一度お試しください。";
  if (key == "slowed") return "失敗が続いているため、少しお待ちください。10秒ほど待ってからもう一度お試しください。";
  if (key == "lookups_throttled") return "1時間に調べられる件数を超えました。しばらく待つか、スーパーバイザーにご相談ください。";
  if (key == "not_for_this_role") return "電話での代理予約はオペレーターとスーパーバイザーの仕事です。";
  if (key == "bad_encoding") return "入力に読めない文字があります。文字を入れ直してください。";
  if (key == "csrf") return "画面の有効期限が切れました。もう一度操作してください。";
  if (key == "weak_password") return "パスワードは10文字以上にしてください。";
  if (key == "common_password") return "そのパスワードは推測されやすいため使えません。辞書にない言葉を組み合わせてください。";
  if (key == "password_has_login") return "パスワードにログイン名を含めないでください。";
  if (key == "invalid_tenant_code") return "自治体コードが正しくありません（6桁、検査数字を確認してください）。";
  if (key == "not_eligible") {
    // The rule that refused, in words (the engine's reason is English, for logs and the API).
    if (status.field() == "age") return "いまは、この年齢の方の予約を受け付けていません。受け付けの始まる日は市のお知らせでご確認ください。";
    if (status.field() == "interval") return "前回の接種から必要な日数がたっていない日です。もっと後の日を選んでください。";
    if (status.field() == "vaccine") return "2回目は、1回目と同じワクチンの枠を選んでください。";
    if (status.field() == "dose") return "この回の接種は予約できません（前の回の接種がまだ記録されていないか、この回はすでに記録されています）。";
    return "いまはこの予約を受け付けていません。";
  }
  if (key == "target_unreachable") {
    return "何人のオペレーターでも応答の目標を満たせない時間帯があります。目標（応答率・待ち時間）か想定件数を見直してください。";
  }
  if (key == "bad_stored_rules") return "予約の条件が読み取れないため、いまは予約を受け付けられません。管理者にお知らせください。";
  switch (status.code()) {
    case StatusCode::kOk: return "";
    case StatusCode::kInvalidArgument: return "入力内容に誤りがあります（" + status.field() + "）。";
    case StatusCode::kMalformed: return "送信内容を読み取れませんでした。";
    case StatusCode::kNotFound: return "ページが見つかりません。";
    case StatusCode::kAlreadyExists: return "すでに登録されています。";
    case StatusCode::kFailedPrecondition: return "現在はこの操作を行えません。";
    case StatusCode::kConflict: return "他の操作と重なりました。もう一度お試しください。";
    case StatusCode::kUnauthenticated: return "ログインしてください。";
    case StatusCode::kPermissionDenied: return "この操作を行う権限がありません。";
    case StatusCode::kResourceExhausted: return "混み合っています。しばらく待ってからもう一度お試しください。";
    case StatusCode::kUnavailable: return "ただいま利用できません。しばらく待ってからもう一度お試しください。";
    case StatusCode::kInternal: return "システムエラーが発生しました。";
  }
  return "エラーが発生しました。";
}

}  // namespace madoguchi::web
