#include "web/ui/messages.hpp"

#include <chrono>

#include <vector>
#include "common/text.hpp"
#include "common/time_format.hpp"

namespace madoguchi::web::ui {
namespace {

constexpr std::optional<Reader> kAll = std::nullopt;
constexpr std::optional<Reader> kStaff = Reader::kStaff;
constexpr std::optional<Reader> kResident = Reader::kResident;
constexpr std::optional<Reader> kLine = Reader::kLine;

// Kept in groups by where the error comes from. A new key that a person can meet gets its line
// here; tests/web/messages_test.cpp checks that each text is Japanese and each entry is reachable.
constexpr CatalogueEntry kEntries[] = {
    // Signing in, sessions, forms (accounts, web/core).
    {"bad_credentials", "", kAll, "ログイン名またはパスワードが違います。"},
    {"throttled", "", kStaff, "失敗が続いたため、しばらくログインできません。15分ほど待ってからもう一度お試しください。"},
    {"throttled", "", kResident,
     "この接種券番号では、まちがいが続いたため15分ほど受け付けを止めています。時間をおいてお試しいただくか、コールセンターにお電話ください。"},
    {"throttled", "", kLine,
     "この券番号では、まちがいが続いたため15分ほど受け付けを止めています。お急ぎのときはコールセンターにお電話ください。"},
    {"slowed", "", kStaff, "失敗が続いているため、少しお待ちください。10秒ほど待ってからもう一度お試しください。"},
    {"slowed", "", kResident, "ただいま混み合っています。10秒ほど待ってから、もう一度お試しください。"},
    {"slowed", "", kLine, "少し時間をおいて（10秒ほど）、もう一度送ってください。"},
    {"lookups_throttled", "", kAll, "1時間に調べられる件数を超えました。しばらく待つか、スーパーバイザーにご相談ください。"},
    {"not_for_this_role", "", kAll, "電話での代理予約はオペレーターとスーパーバイザーの仕事です。"},
    {"bad_encoding", "", kAll, "入力に読めない文字があります。文字を入れ直してください。"},
    {"csrf", "", kAll, "画面の有効期限が切れました。もう一度操作してください。"},
    {"weak_password", "", kAll, "パスワードは10文字以上にしてください。"},
    {"common_password", "", kAll, "そのパスワードは推測されやすいため使えません。辞書にない言葉を組み合わせてください。"},
    {"password_has_login", "", kAll, "パスワードにログイン名を含めないでください。"},
    {"invalid_tenant_code", "", kAll, "自治体コードが正しくありません（6桁、検査数字を確認してください）。"},

    // A campaign's recipients and text (messaging::PlanCampaign; the field is the column).
    {"bad_mobile", "", kStaff, "携帯電話の番号（070・080・090で始まる11けた）を入れてください。"},
    {"not_mobile", "", kStaff, "携帯電話の番号ではないため、ショートメッセージを送れません（固定電話・050・0120など）。"},
    {"repeated_phone", "", kStaff, "同じ電話番号がもう一度出てきます。1人に1回だけ送ります。"},
    {"too_many_parts", "", kStaff, "文面が長すぎます。この方あての文面は、決められた通数を超えます。短くしてください。"},
    {"unknown_variable", "template", kStaff,
     "文面の {　} の中の名前が、ファイルの列の見出しにありません。見出しと同じ名前にしてください。"},
    {"no_phone_column", "", kStaff, "ファイルの1行目に「電話番号」か「メールアドレス」の列がありません。"},
    {"repeated_email", "", kStaff, "同じメールアドレスがもう一度出てきます。1人に1回だけ送ります。"},
    {"unknown_segment", "day", kStaff, "予約の日を選んでください（例：2026-12-03）。"},
    {"unknown_segment", "", kStaff, "宛先の選び方が正しくありません。ファイルか、予約の状況から選んでください。"},
    {"segment_empty", "", kStaff, "この条件に当てはまり、連絡のつく方はいません。条件を変えてください。"},
    {"no_address", "", kStaff, "電話番号もメールアドレスも空です。どちらかを入れてください。"},
    {"no_recipients", "", kStaff, "ファイルに宛先の行がありません。"},
    {"bad_template", "template", kStaff, "文面を入れてください（1000バイトまで）。"},
    {"campaign_has_problems", "", kStaff, "宛先に直すところがあります。何も送っていません。"},
    {"unknown_link", "", kResident, "このリンクは使えません。届いたメッセージのリンクを、そのまま押してください。"},
    {"link_expired", "", kResident, "このリンクは有効期限が切れています。予約の確認や変更は、下の「はじめにもどる」からどうぞ。"},
    {"no_public_url", "", kStaff,
     "利用者向けのアドレスが設定されていないため、リンクは付けられません。リンクを外して送るか、管理者に設定を頼んでください。"},
    {"unknown_link_kind", "", kStaff, "リンクの種類が正しくありません。付けるか付けないかを選び直してください。"},
    {"unknown_job", "", kStaff, "その計算は見つかりません。"},
    {"job_crashed", "", kStaff, "計算の途中で問題が起きたため、止めました。管理者に連絡してください。"},
    {"job_abandoned", "", kStaff, "計算が途中で3回止まったため、打ち切りました。もう一度作り直すか、管理者に連絡してください。"},
    {"unknown_campaign", "", kStaff, "その一斉送信は見つかりません。"},
    {"unknown_reply", "", kStaff, "その返信は見つかりません。"},
    {"empty", "text", kStaff, "返信の文面を入れてください。"},
    {"too_many_parts", "text", kStaff, "返信の文面が長すぎます。短くしてください。"},
    {"too_long", "text", kStaff, "返信の文面が長すぎます。LINEでは5000文字までです。"},
    {"no_answer_channel", "", kStaff, "この返信はメールで届いたため、ここからは答えられません。電話かメールでご連絡ください。"},
    {"campaign_draft", "", kStaff, "この一斉送信はまだ送っていません。"},
    {"campaign_scheduled", "", kStaff, "この一斉送信は送信予定です。その操作はできません。"},
    {"campaign_sending", "", kStaff, "この一斉送信は送信中です。その操作はできません。"},
    {"campaign_being_sent", "", kStaff, "この一斉送信は送信の準備中です。しばらくお待ちください。"},
    {"campaign_paused", "", kStaff, "この一斉送信は一時停止中です。その操作はできません。"},
    {"campaign_cancelled", "", kStaff, "この一斉送信は取りやめました。その操作はできません。"},
    {"campaign_done", "", kStaff, "この一斉送信は送り終わっています。その操作はできません。"},
    {"unknown_action", "action", kStaff, "その操作はできません。"},
    {"campaign_name", "", kStaff, "名前を入れてください（200バイトまで）。"},
    // The tenant's sending settings (messaging::ValidateSendingSettings; the field is the setting).
    {"invalid_argument", "check_in", kStaff, "健康観察を送る時刻を 9:00 のように入れてください。"},
    {"invalid_argument", "remind_at", kStaff, "もう一度送る時刻を 12:00 のように、送る時刻の30分後から12時間後までで入れてください。"},
    {"invalid_argument", "call_at", kStaff, "電話の一覧に載せる時刻を 15:00 のように入れてください。"},
    {"call_before_reminder", "call_at", kStaff, "電話の一覧に載せる時刻は、もう一度送る時刻より後にしてください。"},
    {"past_midnight", "call_at", kStaff, "電話の一覧に載せる時刻は、送った日のうち（23:59まで）にしてください。"},
    {"invalid_argument", "days_after_onset", kStaff, "療養の日数は1日から30日までの数で入れてください。"},
    {"invalid_argument", "kit_photo_retention_days", kStaff, "検査キットの写真を残す日数は1日から3650日までの数で入れてください。"},
    {"invalid_argument", "id_photo_retention_days", kStaff,
     "本人確認書類の写真を残す日数は、1日から検査キットの写真を残す日数までの数で入れてください。"},
    {"out_of_range", "id_photo_retention_days", kStaff,
     "本人確認書類の写真を残す日数は、1日から検査キットの写真を残す日数までの数で入れてください。"},
    {"invalid_argument", "clinic_info", kStaff, "受診の案内は2000バイト（全角でおよそ660文字）までの文章にしてください。"},
    // Who may register online (care::ValidateEligibilityRules; the field is the settings page's box).
    {"invalid_argument", "oldest_age", kStaff, "登録できる年齢は0歳から120歳までの数で入れてください。"},
    {"invalid_argument", "max_days_since_test", kStaff, "検査の日から申請までの日数は0日から14日までの数で入れてください。"},
    {"invalid_argument", "min_vaccinations", kStaff,
     "ワクチン接種の回数は0回から10回までの数で入れてください。聞かないときは空にしてください。"},
    {"invalid_argument", "max_bmi", kStaff, "BMIの上限は10から60までの数で入れてください（例：30）。聞かないときは空にしてください。"},
    {"no_approved_kit", "kits_approved", kStaff, "承認された検査キットを1つ以上入れてください。これがないと、だれも登録できません。"},
    {"repeated_kit", "", kStaff, "同じ名前の検査キットが2回入っています。1回だけにしてください。"},
    {"bad_kit", "", kStaff, "検査キットの名前は、1行に1つ、200バイト（全角でおよそ66文字）までにしてください。"},
    {"invalid_argument", "kits_approved", kStaff, "検査キットの名前に、タブなどの見えない文字は使えません。1行に1つ入れてください。"},
    {"invalid_argument", "kits_research", kStaff, "検査キットの名前に、タブなどの見えない文字は使えません。1行に1つ入れてください。"},
    {"too_many_kits", "", kStaff, "検査キットは、2つの欄あわせて100までにしてください。"},
    {"invalid_argument", "quiet_start", kStaff, "送らない時間帯の始まりを 21:00 のように入れてください。"},
    {"invalid_argument", "quiet_end", kStaff, "送らない時間帯の終わりを 8:00 のように入れてください。"},
    {"invalid_argument", "max_sms_parts", kStaff, "1人に送る最大の通数は1から10です。"},
    {"invalid_argument", "sms_sen_per_part", kStaff, "1通分の料金は0円から1000円までで、3.3 のように入れてください。"},
    {"invalid_argument", "sms_sender", kStaff, "送信者名は半角英数字11文字まで、または数字15けたまでです。"},
    {"campaign_file", "", kStaff, "宛先のファイルを選んでください。"},
    {"bad_start", "", kStaff, "送信開始の日時が読めません。カレンダーから選んでください。"},

    // A row of the target list that cannot be taken in (the residents page; booking::RowProblem,
    // the field is the column).
    {"bad_column_count", "", kStaff, "列の数が違います。宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号 の7列にしてください。"},
    {"bad_text", "", kStaff, "文字として読めないデータがあります。"},
    {"control_char", "", kStaff, "改行やタブなど、入れられない文字があります。"},
    {"bad_address_number", "", kStaff, "宛名番号は15けたまでの数字です。"},
    {"bad_ticket_number", "", kStaff, "券番号は接種券に印字された10けたの番号です。けた数か番号に誤りがあります。"},
    {"bad_name", "", kStaff, "氏名が空か、長すぎます（200バイトまで）。"},
    {"bad_kana", "", kStaff, "氏名カナは全角カタカナで入れてください。"},
    {"bad_birth_date", "", kStaff, "生年月日は 1950-02-28 のように西暦で入れてください（1900年以降、今日までの日付）。"},
    {"address_too_long", "", kStaff, "住所が長すぎます（400バイトまで）。"},
    {"bad_phone", "", kStaff, "電話番号は10けたか11けたの数字です（ハイフンは入れてもかまいません）。空でもかまいません。"},
    {"repeated_in_file", "", kStaff, "同じ番号がこのファイルの中に2回あります。"},

    // Adding a staff member (the staff page).
    {"invalid_argument", "login", kStaff, "ログイン名は3〜64文字の半角英小文字・数字・._- です。"},
    {"login_taken", "", kStaff, "そのログイン名はすでに使われています。"},
    {"invalid_argument", "password", kStaff, "パスワードは10文字以上にしてください。"},
    {"invalid_argument", "display_name", kStaff, "氏名を入れてください（100バイトまで）。"},
    {"invalid_argument", "role", kStaff, "役割を選んでください。"},
    {"invalid_role", "", kStaff, "役割を選んでください。"},
    {"invalid_argument", "channel_secret", kStaff,
     "チャネルシークレットは、LINEの管理画面（チャネル基本設定）に表示される32文字の値を入れてください。"},
    {"invalid_argument", "access_token", kStaff, "チャネルアクセストークン（長期）を入れてください。"},
    {"line_token_refused", "", kStaff, "LINEがこのアクセストークンを受け付けませんでした。LINEの管理画面で発行し直して入れてください。"},
    {"line_unavailable", "", kStaff, "LINEにつながりませんでした。しばらくしてからもう一度確かめてください。"},
    {"self", "", kStaff, "自分の役割・状態・パスワードはこの画面では変えられません。ほかの管理者に頼んでください。"},
    {"unknown_user", "", kStaff, "その職員はこの自治体にいません。"},
    {"no_tenants", "", kStaff, "担当の自治体を1つ以上選んでください。"},
    {"tenant_not_yours", "", kStaff, "あなたが担当していない自治体は選べません。その自治体の管理者に頼んでください。"},
    {"passwords_differ", "", kStaff, "2つのパスワードが同じではありません。もう一度入れてください。"},
    {"password_change_required", "", kStaff, "続けるには、まずパスワードを変えてください。"},

    // Residents proving who they are (booking sign-in, LINE).
    {"ticket_mismatch", "", kResident, "接種券番号または生年月日が違います。接種券をもう一度お確かめください。"},
    {"ticket_mismatch", "", kLine, "券番号または生年月日が違います。もう一度、券番号から送ってください。"},
    {"invalid_argument", "ticket_number", kResident, "接種券番号は10けたの数字です。"},
    {"invalid_argument", "ticket_number", kLine, "券番号は10けたの数字です。もう一度送ってください。"},
    {"invalid_argument", "birth_date", kResident, "生年月日を正しく入れてください（例：1950年4月1日、昭和25年4月1日）。"},
    {"invalid_argument", "birth_date", kLine, "生年月日を 1950年4月1日 か 昭和25年4月1日 のように送ってください。"},
    {"birth_year_western", "", kResident,
     "生年月日の年は西暦4けた（例：1950）で入れてください。昭和・平成で入れるときは、「年号」で昭和などを選んでください。"},
    {"birth_year_western", "", kLine, "生年月日の年は西暦4けた（例：1950年4月1日）か、昭和25年4月1日のように年号をつけて送ってください。"},
    {"birth_era_year", "", kAll, "その年号にその年はありません（大正は15年、昭和は64年、平成は31年まで）。年をお確かめください。"},
    {"birth_date_outside_era", "", kAll, "その日付は、選んだ年号の期間にありません（昭和64年は1月7日まで、平成元年は1月8日から）。"},

    // Booking (src/booking): the residents' words, then the operator's, who speaks for the caller.
    {"slot_full", "", kResident, "この時間はちょうど満員になりました。別の時間をお選びください。"},
    {"slot_full", "", kLine, "その時間はちょうど満員になりました。別の時間をお選びください。"},
    {"slot_full", "", kStaff, "その枠は満員になりました。別の枠を選んでください。"},
    {"slot_past", "", kResident, "この時間はもう始まっています。別の時間をお選びください。"},
    {"slot_past", "", kStaff, "その枠はもう始まっています。別の枠を選んでください。"},
    {"already_booked", "", kResident, "すでに予約があります。日時を変えるときは「日時を変更する」から進んでください。"},
    // Never "cancel first and book again" (the seat can be lost in between): 日時を変える moves it.
    {"already_booked", "", kLine,
     "すでに予約があります。日時を変えるときは、下の「日時を変える」を押してください。予約番号はそのままです。"},
    {"already_booked", "", kStaff, "この方にはすでに予約があります。"},
    {"bad_transition", "", kResident, "この予約は変更や取り消しができません。コールセンターにお電話ください。"},
    {"bad_transition", "", kStaff, "この予約はいまの状態からは変えられません（受付済み・接種済み・取消済みなど）。"},
    {"slot_not_found", "", kAll, "その枠はありません。"},
    {"slot_closed", "", kResident, "この日時は受け付けを締め切りました。別の日時をお選びください。"},
    {"slot_closed", "", kLine, "その日時は受け付けを締め切りました。別の日時を選んでください。"},
    {"slot_closed", "", kStaff, "その枠は受け付けを締め切っています（会場の画面で再開できます）。別の枠を選んでください。"},

    // Venues and slots as staff change them (the venue page).
    {"slot_exists", "", kStaff,
     "同じ会場に、同じ時間・ワクチン・接種回の枠がすでにあります。1枠も作りませんでした（二重に作らないため）。"},
    {"below_booked", "", kStaff, "すでに予約が入っている人数より少ない定員にはできません。"},
    {"slot_has_bookings", "", kStaff, "予約（取り消された予約も含む）の記録がある枠は削除できません。受け付けを締め切ってください。"},
    {"nothing_to_close", "", kStaff, "この会場には、その日の予約枠がありません。日付をお確かめください。"},
    {"invalid_argument", "reason", kStaff, "理由は1行で、200バイト（全角で約60文字）までにしてください。"},
    {"bad_date", "", kStaff, "日付を選んでください（例：2026-12-01）。"},
    {"unknown_audit_action", "", kStaff, "その操作は一覧にありません。「操作」から選んでください。"},
    {"unknown_action", "", kAll, "この操作はできません。"},
    {"no_contact", "", kResident,
     "市の名簿に電話番号がないため、お知らせできません。「この電話番号へ」を選んで、携帯電話の番号を入れてください。"},
    {"no_contact", "", kStaff, "この方は名簿に電話番号がありません。知らせる電話番号を聞いて入れてください。"},
    {"bad_phone", "phone", kResident, "電話番号は10けたか11けたの数字で入れてください（例：090-1234-5678）。"},
    {"bad_email", "", kResident, "メールアドレスを、＠の前と後ろのある形で、まちがいのないように入れてください。"},
    {"bad_email", "", kStaff, "メールアドレスの形になっていません（＠の前に名前、後ろにドメイン名）。"},
    {"bad_sender_name", "", kStaff, "差出人の名前は60文字までで、改行を入れないでください。"},
    {"booking_not_found", "", kStaff, "その予約は見つかりません（別の方の予約か、予約番号の誤りです）。"},
    {"venue_not_found", "", kAll, "その会場はありません。"},
    // The rule that refused, in words (the engine's reason is English, for logs and the API).
    {"not_eligible", "age", kAll, "いまは、この年齢の方の予約を受け付けていません。受け付けの始まる日は市のお知らせでご確認ください。"},
    {"not_eligible", "interval", kAll, "前回の接種から必要な日数がたっていない日です。もっと後の日を選んでください。"},
    {"not_eligible", "vaccine", kAll, "2回目は、1回目と同じワクチンの枠を選んでください。"},
    {"not_eligible", "dose", kAll,
     "この回の接種は予約できません（前の回の接種がまだ記録されていないか、この回はすでに記録されています）。"},
    {"not_eligible", "", kAll, "いまはこの予約を受け付けていません。"},
    {"not_eligible", "age", kStaff, "この方はこの枠を予約できません。いまの条件では、この年齢の方の予約を受け付けていません。"},
    {"not_eligible", "interval", kStaff,
     "この方はこの枠を予約できません。前回の接種から必要な日数がたっていません。もっと後の枠を選んでください。"},
    {"not_eligible", "vaccine", kStaff, "この方はこの枠を予約できません。2回目は1回目と同じワクチンの枠を選んでください。"},
    {"not_eligible", "dose", kStaff,
     "この方はこの枠を予約できません。この回の接種を受け付けていないか、前の回の接種がまだ記録されていないか、この回はすでに記録されています。"},
    {"not_eligible", "", kStaff, "この方はこの枠を予約できません。"},
    {"bad_stored_rules", "", kStaff, "予約の条件が読み取れないため、いまは予約を受け付けられません。管理者にお知らせください。"},
    {"bad_stored_rules", "", kResident, "予約できませんでした。しばらくしてからお試しください。"},
    {"invalid_argument", "q", kStaff, "券番号（10けた）・電話番号・氏名カナのどれかで探してください。"},

    // The rules page (what the form calls each setting).
    {"not_a_number", "min_age", kStaff, "「何歳から」は数字で入れてください。"},
    {"not_a_number", "max_age", kStaff, "「何歳まで」は数字で入れてください。"},
    {"not_a_number", "max_dose", kStaff, "「受け付ける接種回」は数字で入れてください。"},
    {"bad_intervals", "", kStaff, "あける日数は「pfizer:21, moderna:28」のように書いてください。"},
    {"invalid_argument", "min_age", kStaff, "保存できませんでした。「何歳から」を見直してください。"},
    {"invalid_argument", "max_age", kStaff, "保存できませんでした。「何歳まで」を見直してください（何歳からより小さくはできません）。"},
    {"invalid_argument", "max_dose", kStaff, "保存できませんでした。「受け付ける接種回」を見直してください（1〜10）。"},
    {"bad_interval_setting", "", kStaff,
     "保存できませんでした。「前回の接種からあける日数」を見直してください（ワクチン名は半角英小文字・数字、日数は0〜3650）。"},

    // What residents are told (the guidance page).
    {"invalid_argument", "phone", kStaff, "窓口の電話番号は数字とハイフンで入れてください（数字3〜15けた、20文字まで）。"},
    {"invalid_argument", "hours", kStaff, "受付時間は100バイト（全角33文字ほど）までの1行で入れてください。"},
    {"invalid_argument", "bring", kStaff, "持ち物は300バイト（全角100文字ほど）までの1行で入れてください。"},
    {"invalid_argument", "arrive_minutes_before", kStaff, "何分前に来てほしいかは0〜120の数字で入れてください。"},
    {"not_a_number", "arrive_minutes_before", kStaff, "何分前に来てほしいかは0〜120の数字で入れてください。"},

    // Venues and slots (the setup page).
    {"bad_venue", "", kStaff, "会場名を入れてください（200バイトまで）。"},
    {"bad_slot_series", "venue_id", kStaff, "会場と日付を選んでください。"},
    {"bad_slot_series", "from", kStaff, "開始と終了は HH:MM で、終了を後にしてください。"},
    {"bad_slot_series", "minutes", kStaff, "1枠の長さは5〜240分です。"},
    {"bad_slot_series", "capacity", kStaff, "定員と接種回を数字で入れてください。"},
    {"bad_slot_series", "capacity_range", kStaff, "1枠の定員は1〜100,000人です。"},
    {"bad_slot_series", "dose", kStaff, "接種回は1〜10です。"},
    {"invalid_argument", "minutes", kStaff, "1枠の長さは5〜240分です。"},
    {"invalid_argument", "to", kStaff, "その時間では1枠も作れません。"},
    {"invalid_argument", "vaccine", kStaff, "ワクチンは半角英小文字・数字で入れてください（例：pfizer）。"},
    {"invalid_argument", "capacity", kStaff, "1枠の定員は1〜100,000人です。"},
    {"invalid_argument", "dose", kStaff, "接種回は1〜10です。"},
    {"ticket_taken", "", kStaff, "この券番号は、別の宛名番号の方のものとして登録されています。"},

    // Home-test applications (care): the resident's form, field by field, and the photos.
    {"required", "", kResident, "ここに答えてください。"},
    {"required", "kit_photo", kResident, "検査キットの写真を選んでください。"},
    {"required", "id_photo", kResident, "本人確認書類の写真を選んでください。"},
    {"bad_date", "", kResident, "日付を 2026-12-01 のように入れてください（年・月・日）。"},
    {"in_future", "", kResident, "今日より後の日付は入れられません。"},
    {"unknown_kit", "", kResident, "使った検査キットを一覧から選んでください。"},
    {"unknown_risk_factor", "", kResident, "一覧にある項目から選んでください。"},
    {"unknown_symptom", "", kResident, "一覧にある症状から選んでください。"},
    {"unknown_sex", "", kResident, "一覧から選んでください。"},
    {"unknown_contact", "", kResident, "ショートメッセージかメールのどちらかを選んでください。"},
    {"email_for_contact", "", kResident, "メールで受け取るときは、メールアドレスを入れてください。"},
    {"yes_or_no", "", kResident, "「はい」か「いいえ」を選んでください。"},
    {"not_a_number", "", kResident, "数字で入れてください。"},
    {"out_of_range", "", kResident, "入れた数字をお確かめください。"},
    {"out_of_range", "height_cm", kResident, "身長は50〜250（センチメートル）で入れてください。"},
    {"out_of_range", "weight_kg", kResident, "体重は10〜300（キログラム）で入れてください。"},
    {"too_long", "", kResident, "長すぎます。短くしてください。"},
    {"bad_text", "", kResident, "使えない文字があります。入れ直してください。"},
    {"not_katakana", "", kResident, "全角のカタカナで入れてください（例：クマモト）。"},
    {"postal_code", "", kResident, "郵便番号を7けたの数字で入れてください（例：862-8570）。"},
    {"bad_time", "", kResident, "時刻を 9:30 のように入れてください。"},
    {"no_symptoms_and_onset", "", kResident, "症状がないときは、症状が出た日を空けてください。"},
    {"onset_before_test_window", "", kResident, "症状が出た日が検査の日より14日以上前です。日付をお確かめください。"},
    {"consent_required", "", kResident, "登録には、情報の取り扱いへの同意が必要です。"},
    {"bad_mobile", "", kResident, "携帯電話の番号（070・080・090で始まる11けた）を入れてください。"},
    {"not_mobile", "", kResident, "結果をショートメッセージでお知らせするため、携帯電話の番号を入れてください。"},
    {"empty_photo", "", kResident, "写真のファイルが空です。撮り直して選んでください。"},
    {"not_a_photo", "", kResident, "写真（JPEGかPNG）を選んでください。ほかの種類のファイルは送れません。"},
    {"photo_too_large", "", kResident, "写真が大きすぎます（15メガバイトまで）。カメラの画質を下げて撮り直してください。"},
    {"photo_too_many_pixels", "", kResident, "写真の画素数が多すぎます（5000万画素まで）。カメラの画質を下げて撮り直してください。"},
    {"unreadable_photo", "", kResident, "写真を読み取れませんでした。撮り直して選んでください。"},
    {"no_photo_asked", "", kResident, "いまは写真を送り直す必要はありません。"},
    {"changed_meanwhile", "", kResident, "ほかの操作と重なりました。このページを開き直してください。"},
    {"application_not_found", "", kAll, "その申請は見つかりません。"},
    // The doctors' queue and review.
    {"queue_empty", "", kStaff, "確認を待っている申請はありません。"},
    {"held_by_another", "", kStaff, "ほかの医師がこの申請を確認中です。一覧から別の申請を選んでください。"},
    {"lease_lost", "", kStaff,
     "確認の時間（10分）が過ぎ、ほかの医師が確認を始めました。判定は記録していません。一覧からやり直してください。"},
    {"already_decided", "", kStaff, "この申請はすでに判定済みです。"},
    {"awaiting_photo", "", kStaff, "この申請は写真の撮り直しを待っています。"},
    {"required", "reason", kStaff, "判定の理由を書いてください（本人へのお知らせと記録に使います）。"},
    {"too_long", "reason", kStaff, "判定の理由は500バイト（全角で約160文字）までにしてください。"},
    {"unknown_decision", "", kStaff, "判定を選んでください。"},
    {"photo_not_found", "", kStaff, "この写真は保存期間が過ぎたため削除されています。"},
    {"photo_store_unset", "", kAll, "いまは写真を受け付けられません。お手数ですが、窓口にお電話ください。"},
    // Daily health observation.
    {"yes_no_unknown", "", kAll, "「はい」「いいえ」「わからない」のどれかを選んでください。"},
    {"out_of_range", "temperature", kAll, "体温は34〜42（℃）で入れてください。例：36.8"},
    {"out_of_range", "spo2", kAll, "SpO2は70〜100（%）で入れてください。測れないときは空けてください。"},
    {"not_whole", "spo2", kAll, "SpO2は小数点のない数字で入れてください。例：97"},
    {"required", "urgent", kAll, "はじめの質問（急いで受診が必要な症状）に答えてください。"},
    {"too_long", "note", kAll, "ひとことは1000バイト（全角で約330文字）までにしてください。"},
    {"check_in_link_expired", "", kResident,
     "このリンクは有効期限が切れています。今日の健康観察は、今日届いたお知らせ（ショートメッセージやLINE）のリンクから開いてください。"},
    {"check_in_not_found", "", kAll, "この健康観察は見つかりません。"},
    {"episode_ended", "", kResident, "療養期間は終わっています。体調が悪いときは、医療機関にご相談ください。"},
    {"episode_ended", "", kStaff, "この方の療養期間は終わっています。"},
    {"episode_not_found", "", kStaff, "その療養者は見つかりません。"},
    {"unknown_outcome", "", kStaff, "電話の結果を選んでください。"},
    {"too_long", "notes", kStaff, "メモは2000バイト（全角で約660文字）までにしてください。"},
    {"out_of_range", "days", kStaff, "延長する日数は1〜14日で選んでください。"},
    {"too_long", "days", kStaff, "療養期間は始まりから60日までです。"},
    {"photo_store_unwritable", "", kAll, "写真を保存できませんでした。しばらくしてからもう一度お試しください。"},

    // The planner.
    // The planner's form (web/planning/plan_form): the scenario's field, with an index written "[]".
    {"not_a_number", "", kStaff, "数字で入れてください（全角の数字でもかまいません）。"},
    {"not_a_whole_number", "", kStaff, "小数点のない数字で入れてください。"},
    {"invalid_argument", "name", kStaff, "計画の名前は文字で入れてください。"},
    {"invalid_argument", "profile.population", kStaff, "人口は1人〜2億人で入れてください。"},
    {"invalid_argument", "profile.target_group", kStaff, "接種の対象者は0人から人口までで入れてください。"},
    {"invalid_argument", "profile.start", kStaff, "計画の最初の日を選んでください。"},
    {"invalid_argument", "profile.days", kStaff, "計画の日数は1〜366日で入れてください。"},
    {"invalid_argument", "profile.channel_mix", kStaff, "ウェブとLINEの割合は、足して100%までにしてください。"},
    {"invalid_argument", "profile.mailings[].date", kStaff, "発送日を選んでください。"},
    {"invalid_argument", "profile.mailings[].count", kStaff, "発送する人数は1人から人口までで入れてください。"},
    {"invalid_argument", "profile.booking_opens[].date", kStaff, "予約の開始日を選んでください。"},
    {"invalid_argument", "profile.booking_opens[].count", kStaff, "予約できる人数は1人から人口までで入れてください。"},
    {"invalid_argument", "hours.weekday", kStaff, "受付時間は 08:30-17:15 のように始まりと終わりを書いてください（休みは空欄）。"},
    {"invalid_argument", "hours.saturday", kStaff, "受付時間は 09:00-17:00 のように始まりと終わりを書いてください（休みは空欄）。"},
    {"invalid_argument", "hours.sunday", kStaff, "受付時間は 09:00-17:00 のように始まりと終わりを書いてください（休みは空欄）。"},
    {"invalid_argument", "hours.holiday", kStaff, "受付時間は 09:00-17:00 のように始まりと終わりを書いてください（休みは空欄）。"},
    {"never_open", "", kStaff, "計画の期間に、受付をする日がありません。受付時間と計画の最初の日を見直してください。"},
    {"invalid_argument", "service.aht_sec", kStaff, "平均通話時間は1〜36,000秒で入れてください。"},
    {"invalid_argument", "service.answer_within_sec", kStaff, "応答までの秒数は0秒以上で入れてください。"},
    {"invalid_argument", "service.service_level", kStaff, "応答する割合は0%以上100%未満で入れてください（例：80）。"},
    {"invalid_argument", "service.patience_sec", kStaff, "待てる平均時間は1秒以上で入れてください（空欄なら待ち続ける前提です）。"},
    {"invalid_argument", "service.max_abandon", kStaff,
     "あきらめる割合の上限は0%より大きく100%未満にしてください。待てる平均時間も入れてください。"},
    {"invalid_argument", "staffing.min_agents", kStaff, "最低人数は0人以上、最大人数以下にしてください。"},
    {"invalid_argument", "staffing.max_agents", kStaff, "最大人数は1〜5,000人で入れてください。"},
    {"invalid_argument", "staffing.cost_per_agent_hour", kStaff, "1時間の費用は0円以上で入れてください。"},
    {"invalid_argument", "staffing.pool", kStaff, "働ける人の数は1〜50,000人で入れてください（空欄なら制限なし）。"},
    {"invalid_argument", "staffing.max_days_per_week", kStaff, "週に働ける日数は1〜7日で入れてください。"},
    {"invalid_argument", "lines.cost_per_line_day", kStaff, "回線の費用は0円以上で入れてください。"},
    {"invalid_argument", "staffing.shifts", kStaff, "シフトを1つ以上入れてください（名前・始まり・終わり・曜日）。"},
    {"invalid_argument", "staffing.shifts[].start", kStaff, "シフトの始まりを 08:30 のように入れてください。"},
    {"invalid_argument", "staffing.shifts[].end", kStaff, "シフトの終わりを 17:15 のように、始まりより後で12時間以内に入れてください。"},
    {"invalid_argument", "staffing.shifts[].break_minutes", kStaff,
     "休憩は、6時間をこえて働くなら45分以上、8時間をこえて働くなら60分以上にしてください（労働基準法第34条）。働く時間が残る長さにしてください。"},
    {"invalid_argument", "staffing.shifts[].days", kStaff, "シフトに入る曜日を1つ以上選んでください。"},
    {"invalid_argument", "use_call_records", kStaff,
     "記録した通話から計画を作るには、シナリオ（JSON）に \"history\" を書くか、オペレーター画面で通話を記録してください。"},
    {"invalid_argument", "history_csv", kStaff, "入電記録のCSVを付けるか、記録した通話を使ってください（6メガバイトまで）。"},
    {"invalid_argument", "scenario", kStaff, "シナリオが空です。入力欄に書くか、例から始めてください。"},
    {"invalid_argument", "", kStaff, "入力を見直してください。"},
    {"bad_json", "", kStaff, "JSONの書き方に誤りがあります。示した場所（行と文字の位置）を見直してください。"},
    {"target_unreachable", "", kAll,
     "何人のオペレーターでも応答の目標を満たせない時間帯があります。目標（応答率・待ち時間）か想定件数を見直してください。"},
};

std::string ByCode(const Status& status, Reader reader) {
  if (reader != Reader::kStaff) {
    // Residents are told what to do next, not what broke.
    switch (status.code()) {
      case StatusCode::kNotFound: return "このページはありません。";
      case StatusCode::kInvalidArgument: return "入力内容をお確かめください。";
      case StatusCode::kUnauthenticated: return "はじめからやり直してください。";
      default: return "うまくいきませんでした。しばらくしてからもう一度お試しください。";
    }
  }
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

const CatalogueEntry* Find(std::string_view key, std::string_view field, std::optional<Reader> reader) {
  for (const CatalogueEntry& e : kEntries) {
    if (e.key == key && e.field == field && e.reader == reader) return &e;
  }
  return nullptr;
}

}  // namespace

std::string ErrorText(const Status& status, Reader reader) {
  if (status.ok()) return "";
  std::vector<Reader> readers{reader};
  if (reader == Reader::kLine) readers.push_back(Reader::kResident);  // LINE falls back to the residents' words
  for (Reader r : readers) {
    for (std::string_view field : {std::string_view(status.field()), std::string_view()}) {
      if (const CatalogueEntry* e = Find(status.key(), field, r)) return std::string(e->text);
      if (const CatalogueEntry* e = Find(status.key(), field, kAll)) return std::string(e->text);
      if (field.empty()) break;
    }
  }
  return ByCode(status, reader);
}

std::span<const CatalogueEntry> Catalogue() { return kEntries; }

std::string_view LineReplyReceivedText(bool stop) {
  if (stop) return "これからは、このLINEにお知らせを送りません。また受け取りたいときは、コールセンターにお電話ください。";
  return "メッセージを受け付けました。担当の者が読んで、必要なときはご連絡します。予約の操作は下のボタンからどうぞ。";
}

std::string_view LineReplyNotTakenText() {
  return "短い時間にたくさんのメッセージが届いたため、このメッセージは担当の者に届けていません。お急ぎのときはコールセンターにお電話ください。";
}

std::string_view LineLinkText(care::LineLinkOutcome o) {
  using O = care::LineLinkOutcome;
  switch (o) {
    case O::kLinked: return "LINEでの受け取りを始めました。これからは、結果のお知らせと毎日の健康観察のご案内を、このLINEにお送りします。";
    case O::kAlreadyLinked: return "このLINEで受け取る設定は、もうできています。";
    case O::kUnknownCode:
      return "そのことばに当たる申請が見つかりません。申請の状況のページに出ている「連携」から始まることばを、そのまま送ってください。";
    case O::kUsedByAnother: return "このことばは、もうほかのLINEで使われています。お心当たりがないときは、コールセンターにお電話ください。";
    case O::kEnded: return "この申請は受け付けが終わったため、LINEで受け取る設定はできません。";
    case O::kMalformed: return "「連携」のあとに、申請の状況のページに出ている10文字（例：ABCDE-FGHJK）を続けて送ってください。";
    case O::kThrottled: return "違うことばが何度も送られたため、しばらく受け付けられません。15分ほどたってから、もう一度送ってください。";
  }
  return "";
}

std::string_view LineCheckInTakenText(care::Advice a) {
  switch (a) {
    case care::Advice::kCall119:
      return "報告を受け取りました。急いで受診が必要な状態かもしれません。すぐに119番に電話して、新型コロナウイルスに感染して自宅で療養中であることを伝えてください。保健所からも、すぐにお電話します。";
    case care::Advice::kWeWillCall:
      return "報告を受け取りました。今日中に、保健所の担当者からお電話します。電話に出られるようにしてください。急に息苦しくなったときなどは、待たずに119番に電話してください。";
    case care::Advice::kThanks: return "報告を受け取りました。ありがとうございました。明日も同じ時刻にご案内を送ります。";
  }
  return "";
}

std::string_view PatientContactLabel(const care::EpisodeView& e) {
  if (!e.line_user_id.empty()) return "LINE";
  if (e.contact == care::Contact::kEmail && !e.email.empty()) return "メール";
  return "ショートメッセージ";
}

std::string_view LineFollowText() {
  return "友だち追加ありがとうございます。\nワクチン接種の予約は、接種券に書かれた券番号（10けたの数字）を送ってください。\n"
         "自宅療養の健康観察を受け取る方は、申請の状況のページに出ている「連携」から始まることばを送ってください。";
}

std::string TriageRulesErrorText(bool not_json, const std::string& rule) {
  if (not_json || rule.empty())
    return "優先度の判定の規則が読めません。docs/care.md の書き方（JSON）で入れてください。何も保存していません。";
  return "優先度の判定の規則の「" + rule + "」が正しくありません。docs/care.md の書き方に合わせてください。何も保存していません。";
}

std::string NoticeText(bool by_line, const std::string& mobile, const std::string& email) {
  if (by_line) return "予約の確認と前日のお知らせを、LINEでお送りします。";
  if (!mobile.empty()) return "予約の確認と前日のお知らせを、ショートメッセージで " + mobile + " にお送りします。";
  if (!email.empty()) return "予約の確認と前日のお知らせを、メールで " + email + " にお送りします。";
  return "名簿の電話番号が携帯電話ではないため、お知らせは送りません。";  // the page asks to print or note it just below
}

std::string StandingText(const booking::Standing& s, Reader reader) {
  using K = booking::Standing::Kind;
  const std::string who = reader == Reader::kStaff ? "この方は" : "";
  switch (s.kind) {
    case K::kMayBook: return "";
    case K::kTooYoung: {
      const std::string min = std::to_string(*s.min_age);
      return "いまは" + min + "歳以上の方が予約できます（接種する日の年齢です）。" + who + FormatDateJa(*s.reaches_min_age) + "に" + min +
             "歳になるので、その日からの日時なら予約できます。";
    }
    case K::kTooOld:
      return "いまは" + std::to_string(*s.max_age) + "歳までの方の予約を受け付けています。" + who +
             (reader == Reader::kStaff ? "いまは予約できません。" : "ほかの年齢の方の受け付けは、市からお知らせします。");
    case K::kDoseNotOpen:
      return "いまは" + std::to_string(s.max_dose) + "回目までの予約を受け付けています。" + std::to_string(s.next_dose) +
             "回目の受け付けは、始まるときに市からお知らせします。";
  }
  return "";
}

std::string ReachText(const booking::RulesReach& r, bool saved) {
  const std::string rules = saved ? "いまの条件では、" : "この条件にすると、";
  if (r.listed == 0) return rules + "対象者の名簿がまだないため、だれも予約できません（名簿を取り込むと予約できます）。";
  std::string out =
      rules + "名簿の " + text::GroupThousands(r.listed) + " 人のうち " + text::GroupThousands(r.may_book_now) + " 人が今予約できます。";
  if (r.too_young_today > 0)
    out += "ほかに " + text::GroupThousands(r.too_young_today) + " 人は、誕生日が来ればその日からの日時を予約できます。";
  if (r.may_book_now == 0) out += "今はだれも予約できません。年齢と接種回を見直してください。";
  return out;
}

std::string_view StateLabel(booking::State state) {
  switch (state) {
    case booking::State::kBooked: return "予約済み";
    case booking::State::kCheckedIn: return "受付済み";
    case booking::State::kVaccinated: return "接種済み";
    case booking::State::kCancelled: return "取消済み";
    case booking::State::kNoShow: return "来場なし";
  }
  return "不明";
}

namespace {

constexpr AuditAction kAuditActions[] = {
    {"session.login", "ログイン"},
    {"session.login_failed", "ログインの失敗"},
    {"session.login_locked", "ログインの一時停止"},
    {"session.source_slowed", "失敗が続いた送信元の減速"},
    {"session.logout", "ログアウト"},
    {"api_token.create", "APIトークンの発行"},
    {"api_token.revoke", "APIトークンの取り消し"},
    {"user.create", "職員の追加"},
    {"user.list", "職員一覧の閲覧"},
    {"user.disable", "職員の無効化"},
    {"user.enable", "職員の有効化"},
    {"user.tenants", "職員の担当の自治体の変更"},
    {"user.role", "職員の役割の変更"},
    {"user.passwd", "パスワードの設定"},
    {"user.password_reset", "パスワードの再設定"},
    {"audit.read", "監査ログの閲覧"},
    {"audit.export", "監査ログの出力"},
    {"booking_rules.update", "予約の条件の変更"},
    {"guidance.update", "窓口と当日の案内の変更"},
    {"line_channel.update", "LINEの設定の変更"},
    {"line.link", "LINEと接種券のひもづけ"},
    {"residents.import", "対象者一覧の取り込み"},
    {"resident.search", "住民の検索"},
    {"resident.read", "住民の情報の閲覧"},
    {"venue.create", "会場の追加"},
    {"venue.update", "会場の変更"},
    {"venue.close_day", "会場の日の締め切り"},
    {"venue.reopen_day", "会場の日の再開"},
    {"slot.create", "予約枠の作成"},
    {"slot.capacity", "予約枠の定員の変更"},
    {"slot.delete", "予約枠の削除"},
    {"campaign.create", "一斉送信の作成"},
    {"campaign.send", "一斉送信の開始"},
    {"campaign.pause", "一斉送信の一時停止"},
    {"campaign.resume", "一斉送信の再開"},
    {"campaign.cancel", "一斉送信の取りやめ"},
    {"campaign.recipients_read", "一斉送信の宛先ごとの状況の閲覧"},
    {"messaging_settings.update", "お知らせの送信設定の変更"},
    {"inbox.read", "返信の受信箱の閲覧"},
    {"care.queue_read", "陽性者登録の確認待ち一覧の閲覧"},
    {"care.application_read", "陽性者登録の申請の閲覧"},
    {"care.photo_read", "陽性者登録の写真の閲覧"},
    {"care.decision", "陽性者登録の判定"},
    {"care.release", "陽性者登録の確認の中断"},
    {"care.confirmed_csv", "陽性確定者の一覧（CSV）の出力"},
    {"care.check_in_read", "健康観察の入力画面の表示"},
    {"care.check_in", "健康観察の報告"},
    {"care.calls_read", "健康観察の架電リストの閲覧"},
    {"care.patient_read", "療養者の記録の閲覧"},
    {"care.call_log", "療養者への電話の記録"},
    {"care.check_in_send", "健康観察の送信（職員の操作）"},
    {"care.report_by_phone", "電話で聞き取った健康観察の記録"},
    {"care.extend", "療養期間の延長"},
    {"care.dashboard_read", "健康観察の状況の閲覧"},
    {"inbox.answer", "返信への返信"},
    {"inbox.done", "返信の対応済み"},
    {"booking.create", "予約の作成"},
    {"booking.change", "予約の日時の変更"},
    {"booking.cancel", "予約の取り消し"},
    {"booking.read", "予約の閲覧"},
    {"booking.checked_in", "会場での受付"},
    {"booking.vaccinated", "接種の記録"},
    {"booking.no_show", "来場なしの記録"},
    {"waitlist.join", "空き待ちの登録"},
    {"waitlist.leave", "空き待ちの取りやめ"},
    {"resident.email", "お知らせのメールアドレスの登録"},
    {"resident.email_remove", "お知らせのメールアドレスの削除"},
    {"call.record", "通話の記録"},
    {"plan.queue", "人員計画の計算の依頼"},
    {"plan.create", "人員計画の作成"},
    {"plan.csv", "人員計画のCSV出力"},
    {"plan.json", "人員計画のJSON出力"},
    {"vrs.export", "VRSへの出力"},
    {"vrs.import", "VRSからの取り込み"},
};

}  // namespace

constexpr VaccineChoice kVaccines[] = {
    {"pfizer", "ファイザー（コミナティ）"}, {"moderna", "モデルナ（スパイクバックス）"}, {"novavax", "武田（ヌバキソビッド）"},
    {"daiichi", "第一三共（ダイチロナ）"},  {"meiji", "明治製菓ファルマ（コスタイベ）"},
};

std::span<const AuditAction> AuditActions() { return kAuditActions; }

std::span<const VaccineChoice> VaccineChoices() { return kVaccines; }

std::string_view AuditActionLabel(std::string_view code) {
  for (const AuditAction& a : kAuditActions)
    if (a.code == code) return a.label;
  return "その他の操作";
}

std::string_view SlotStateLabel(bool closed, int remaining) {
  if (closed) return "締切";
  return remaining <= 0 ? "満員" : "受付中";
}

std::string_view ChannelLabel(booking::Channel channel) {
  switch (channel) {
    case booking::Channel::kWeb: return "ウェブ";
    case booking::Channel::kPhone: return "電話";
    case booking::Channel::kLine: return "LINE";
    case booking::Channel::kApi: return "API";
  }
  return "不明";
}

namespace {

std::string Shortened(const std::string& s, size_t chars) {
  size_t i = 0, n = 0;
  while (i < s.size() && n < chars) {
    const auto b = static_cast<unsigned char>(s[i]);
    i += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    ++n;
  }
  return i < s.size() ? s.substr(0, i) + "…" : s;
}

}  // namespace

std::string MessageLabel(const std::string& t, const std::string& text, size_t chars) {
  if (t == "campaign_text") return "一斉送信「" + Shortened(text, chars) + "」";
  if (t == "reply_text") return "職員からの返信「" + Shortened(text, chars) + "」";
  if (t == "booking_confirmed") return "予約が確定したお知らせ";
  if (t == "booking_changed") return "予約を変更したお知らせ";
  if (t == "booking_cancelled") return "予約を取り消したお知らせ";
  if (t == "reminder") return "接種の前日のお知らせ";
  if (t == "waitlist_offer") return "空きが出たお知らせ";
  return "お知らせ";
}

std::string_view MessageStateText(const std::string& state) {
  static const std::pair<const char*, const char*> kLabels[] = {{"queued", "送信待ち"},
                                                                {"sending", "送信中"},
                                                                {"sent", "送信済み（届いたかの確認待ち）"},
                                                                {"delivered", "届いた"},
                                                                {"failed", "届かなかった"},
                                                                {"expired", "期限切れで送らなかった"},
                                                                {"cancelled", "取りやめ"},
                                                                {"suppressed", "配信停止中のため送らなかった"}};
  for (const auto& [code, label] : kLabels) {
    if (state == code) return label;
  }
  return "その他";
}

std::string_view MessageStateText(const std::string& state, std::string_view channel) {
  if (state == "sent" && (channel == "line" || channel == "email")) return "送信済み";
  return MessageStateText(state);
}

std::string FailureReasonText(const std::string& code) {
  static const std::pair<const char*, const char*> kReasons[] = {
      {"not_mobile", "携帯電話の番号ではありません"},
      {"bad_phone", "番号が正しくありません"},
      {"unreachable", "連絡先がありません"},
      {"email_rejected", "メールの宛先に受け取りを断られました"},
      {"email_unavailable", "メールの送信先が応答せず、送り直します"},
      {"email_bounced: 5.1.", "メールアドレスが存在せず、届きませんでした"},
      {"email_bounced: 5.2.1", "メールアドレスが使われておらず、届きませんでした"},
      {"email_bounced: 5.2.2", "受信箱がいっぱいで、届きませんでした"},
      {"email_bounced", "メールが届きませんでした"},
      {"email_delayed", "メールの配送が遅れています"},
      {"too_many_parts", "文面が長すぎます"},
      {"suppressed", "配信停止中です"},
      {"sms_gateway_refused", "中継に接続を断られ、送り直します"},
      {"unavailable", "中継が応答せず、送り直します"}};
  for (const auto& [key, label] : kReasons) {
    if (code.find(key) != std::string::npos) return label;
  }
  return "送れませんでした";
}

std::string KannelStateText(const std::string& state) {
  if (state == "running") return "動いています";
  if (state == "suspended") return "一時停止中（送りも受けもしません）";
  if (state == "isolated") return "受け付け停止中（送信はします）";
  if (state == "full") return "満杯のため受け付けを止めています";
  if (state == "shutdown") return "止めようとしています";
  return "不明な状態";
}

std::string SmscStatusText(std::string_view status) {
  if (status.starts_with("online")) return "つながっています";
  if (status.starts_with("re-connecting")) return "つなぎ直しています";
  if (status.starts_with("connecting")) return "つなごうとしています";
  if (status.starts_with("disconnected")) return "切れています";
  if (status.starts_with("dead")) return "止まっています";
  return "不明な状態";
}

std::string_view DeliveryText(std::string_view channel) {
  if (channel.starts_with("email")) return "メール";
  if (channel.starts_with("line")) return "LINE";
  return "ショートメッセージ";
}

std::string_view RiskFactorLabel(care::RiskFactor f) {
  using R = care::RiskFactor;
  switch (f) {
    case R::kPregnancy: return "妊娠している";
    case R::kMalignancy: return "悪性腫瘍（がん）";
    case R::kCopd: return "慢性閉塞性肺疾患（COPD）などの呼吸器の病気";
    case R::kCkd: return "慢性腎臓病";
    case R::kCardiovascular: return "心臓や血管の病気";
    case R::kCerebrovascular: return "脳梗塞など脳の血管の病気";
    case R::kDiabetes: return "糖尿病";
    case R::kHypertension: return "高血圧";
    case R::kDyslipidaemia: return "脂質異常症";
    case R::kObesity: return "肥満（BMI 30以上）";
    case R::kSmoking: return "たばこを吸う";
    case R::kImmunosuppression: return "免疫を抑える薬を使っている・免疫の病気がある";
  }
  return "";
}

std::string_view OnsetSymptomLabel(care::OnsetSymptom s) {
  using S = care::OnsetSymptom;
  switch (s) {
    case S::kFever: return "発熱";
    case S::kCough: return "せき";
    case S::kSoreThroat: return "のどの痛み";
    case S::kRunnyNose: return "鼻水・鼻づまり";
    case S::kHeadache: return "頭痛";
    case S::kTired: return "だるさ";
    case S::kTasteSmell: return "味やにおいがわからない";
    case S::kOther: return "そのほか";
  }
  return "";
}

std::string_view SexLabel(care::Sex s) {
  switch (s) {
    case care::Sex::kFemale: return "女性";
    case care::Sex::kMale: return "男性";
    case care::Sex::kOther: return "そのほか";
    case care::Sex::kUnanswered: return "答えない";
  }
  return "";
}

std::string_view IneligibleText(care::Ineligible i) {
  using I = care::Ineligible;
  switch (i) {
    case I::kTooOld: return "65歳以上の方は、重くなりやすいため、医療機関での診察をおすすめしています。";
    case I::kRiskFactor: return "重くなりやすい持病などがある方は、医療機関での診察をおすすめしています。";
    case I::kPregnant: return "妊娠している方は、かかりつけの産婦人科か医療機関にご相談ください。";
    case I::kSymptomsNotMild: return "症状が軽くない方は、医療機関を受診してください。";
    case I::kKitNotListed: return "使った検査キットが、この登録で受け付けているものではありません。";
    case I::kKitResearchUse: return "「研究用」の検査キットの結果では登録できません。医療機関で検査を受けてください。";
    case I::kTestTooOld: return "検査をした日から日数がたっています。もう一度検査をするか、医療機関を受診してください。";
    case I::kTooFewVaccinations: return "ワクチンの接種回数が、この登録の条件に足りません。";
    case I::kSmoker: return "たばこを吸う方は、重くなりやすいため、医療機関での診察をおすすめしています。";
    case I::kBmiTooHigh: return "身長と体重から、重くなりやすい体格のため、医療機関での診察をおすすめしています。";
  }
  return "";
}

std::string_view KitAdviceText(care::KitCategory c) {
  using K = care::KitCategory;
  switch (c) {
    case K::kReadable: return "";
    case K::kNoControlLine:
      return "検査キットの「C」の線が出ていないため、検査が正しくできていません。新しいキットでもう一度検査をして、その写真を送ってください。";
    case K::kBlurry: return "写真がぼやけています。明るい場所で、手を止めて、箱と一緒に真上から撮ってください。";
    case K::kGlare: return "結果の窓が光って見えません。明るい場所で、照明が映りこまない向きにして、箱と一緒に真上から撮ってください。";
    case K::kNoKit: return "写真に検査キットが見つかりません。箱と一緒に、結果の窓が見えるように真上から撮ってください。";
    case K::kTooSmall: return "検査キットが小さく写っています。キットが写真の半分ほどになるまで近づいて、真上から撮ってください。";
  }
  return "";
}

std::string_view KitCategoryLabel(care::KitCategory c) {
  using K = care::KitCategory;
  switch (c) {
    case K::kReadable: return "読める";
    case K::kNoControlLine: return "C線なし（検査無効）";
    case K::kBlurry: return "ぼやけ";
    case K::kGlare: return "反射";
    case K::kNoKit: return "キットなし";
    case K::kTooSmall: return "小さすぎ";
  }
  return "";
}

std::string_view ApplicationStateText(care::ApplicationState s, Reader reader) {
  using A = care::ApplicationState;
  const bool staff = reader == Reader::kStaff;
  switch (s) {
    case A::kWaiting: return staff ? "確認待ち" : "医師の確認を待っています。結果はショートメッセージでお知らせします。";
    case A::kPhotoRequested: return staff ? "写真の撮り直し待ち" : "検査キットの写真を撮り直して、送ってください。";
    case A::kConfirmed: return staff ? "確定" : "医師が陽性を確認しました。ご自宅で療養してください。";
    case A::kNotConfirmed: return staff ? "確定できない" : "写真からは陽性を確認できませんでした。";
    case A::kSeeClinic: return staff ? "対象外" : "オンラインでの確認の対象ではありません。医療機関を受診してください。";
  }
  return "";
}

std::string_view DecisionLabel(care::Decision d) {
  switch (d) {
    case care::Decision::kConfirm: return "確定";
    case care::Decision::kCannotConfirm: return "確定できない";
    case care::Decision::kUnclearPhoto: return "写真が不鮮明（撮り直し）";
    case care::Decision::kNotEligible: return "対象外（受診を案内）";
  }
  return "";
}

std::string_view DailySymptomLabel(care::Symptom s) {
  using S = care::Symptom;
  switch (s) {
    case S::kPaleFace: return "顔色が悪い";
    case S::kCough: return "咳（せき）・鼻水";
    case S::kBreathless: return "息苦しさ";
    case S::kTired: return "だるさ";
    case S::kNausea: return "吐き気";
    case S::kDiarrhoea: return "下痢";
    case S::kDrowsy: return "意識がぼんやりする";
    case S::kCannotEat: return "食事がとれない";
    case S::kNoUrine: return "尿が出ない";
  }
  return "";
}

const std::array<std::string_view, care::kUrgentSymptomCount>& UrgentSymptomTexts() {
  static const std::array<std::string_view, care::kUrgentSymptomCount> kTexts = {
      "顔色が明らかに悪い",
      "唇が紫色になっている",
      "いつもと違う、様子がおかしい",
      "息が荒くなった（呼吸の回数が多くなった）",
      "急に息苦しくなった",
      "生活をしていて少し動くと息苦しい",
      "胸の痛みがある",
      "横になれない・座らないと息ができない",
      "肩で息をしている",
      "突然（2時間以内を目安に）ゼーゼーしはじめた",
      "ぼんやりしている（反応が弱い）",
      "もうろうとしている（返事がない）",
      "脈がとぶ・脈のリズムが乱れる感じがする",
  };
  return kTexts;
}

std::string_view AnswerLabel(care::Answer a) {
  switch (a) {
    case care::Answer::kYes: return "はい";
    case care::Answer::kNo: return "いいえ";
    case care::Answer::kUnknown: return "わからない";
  }
  return "";
}

std::string_view PriorityLabel(care::Priority p) {
  switch (p) {
    case care::Priority::kP0: return "P0 すぐに電話（119番を案内）";
    case care::Priority::kP1: return "P1 今日中に電話";
    case care::Priority::kP2: return "P2 リスクに応じて";
    case care::Priority::kP3: return "P3 安定";
  }
  return "";
}

std::string TriageRuleText(const std::string& rule_id) {
  static const std::pair<std::string_view, std::string_view> kTexts[] = {
      {"urgent_symptom", "緊急性の高い症状がある"},
      {"spo2_93", "SpO2 93%以下"},
      {"spo2_95", "SpO2 94〜95%"},
      {"spo2_drop_3", "SpO2 が最初より3ポイント以上低い"},
      {"breathless", "息苦しさがある"},
      {"fever_4_days", "37.5℃以上の熱が4日続く"},
      {"asked_for_call", "電話を希望（返信3）"},
      {"reported_worse", "悪くなった（返信2）"},
      {"high_risk_missed", "報告なし（リスクが高い方）"},
      {"missed", "報告なし"},
      {"risk_score", "リスク因子あり"},
      {"stable", "安定"},
  };
  for (const auto& [id, text] : kTexts) {
    if (id == rule_id) return std::string(text);
  }
  return "規則 " + rule_id;  // a tenant's own rule: its id
}

std::string_view CheckInStateText(care::CheckInState s) {
  switch (s) {
    case care::CheckInState::kSent: return "送信済み・回答待ち";
    case care::CheckInState::kReminded: return "再送済み・回答待ち";
    case care::CheckInState::kAnswered: return "回答あり";
    case care::CheckInState::kMissed: return "回答なし";
  }
  return "";
}

std::string_view ReportSourceLabel(care::ReportSource s) {
  switch (s) {
    case care::ReportSource::kForm: return "入力画面";
    case care::ReportSource::kNumberReply: return "番号で返信";
    case care::ReportSource::kOperator: return "電話で聞き取り";
    case care::ReportSource::kMissed: return "期限までに回答なし";
  }
  return "";
}

std::string_view NumberReplyLabel(care::NumberReply n) {
  switch (n) {
    case care::NumberReply::kNoChange: return "1 変わりなし";
    case care::NumberReply::kWorse: return "2 悪くなった";
    case care::NumberReply::kCallMe: return "3 電話がほしい";
  }
  return "";
}

std::string_view CallOutcomeLabel(care::CallOutcome o) {
  switch (o) {
    case care::CallOutcome::kReached: return "話せた";
    case care::CallOutcome::kNoAnswer: return "出なかった（また電話する）";
    case care::CallOutcome::kAdvised119: return "119番を案内した・救急要請した";
    case care::CallOutcome::kReferred: return "受診・入院を調整した";
    case care::CallOutcome::kWrongNumber: return "番号が違う・つながらない";
  }
  return "";
}

}  // namespace madoguchi::web::ui
