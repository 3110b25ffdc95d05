// Issue #13 in the browser, with real kit photos from ../shared/data/kits: a resident on a phone
// with JavaScript off answers the screen, fills in the form, attaches the kit photo and the ID
// photo, and gets a receipt number and a status page; a doctor takes the application from the
// queue, looks at the photo and confirms by keyboard (1, Enter); the resident's status page says so,
// and offers LINE with the word to send once the prefecture has a LINE account.
// Then the daily observation: a supervisor keeps the dashboard open; an operator sends today's
// check-in from the patient's record; the link is taken from the outbox as the SMS carries it;
// the patient reports SpO2 92 on the phone and is told to call 119; the open dashboard shows the
// patient as P0 without a reload, the operator's open call list announces them, and reloaded it
// lists them first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startWorld, root, shots, logIn, expectAccessible } from './support.mjs';

const kits = join(root, '..', 'shared', 'data', 'kits');
let world, browser, base;

before(async () => {
  assert.ok(existsSync(join(kits, 'kit_032.jpg')), '../shared/data/kits is missing');
  world = await startWorld('madoguchi-care-', [['isha', 'doctor', '医師 一郎'], ['kanri', 'supervisor', '管理 花子'], ['denwa', 'operator', '係員 次郎']]);
  ({ browser, base } = world);
});

after(async () => { await world?.stop(); });

// Japan's date `days` ago, as the date input takes it.
function japanDay(days) {
  return new Date(Date.now() + 9 * 3600000 - days * 86400000).toISOString().slice(0, 10);
}

// One value from the test's SQLite database.
function sql(query) {
  return execFileSync('sqlite3', [join(world.dir, 'w.db'), query], { encoding: 'utf8' }).trim();
}

test('a resident applies with a kit photo, a doctor confirms it by keyboard, a report of SpO2 92 is P0 on the open dashboard', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', javaScriptEnabled: false });
  const page = await phone.newPage();
  await page.goto(base + '/r/452041/care');
  await expectAccessible(page, 'the screen');
  await page.getByLabel('生年月日').fill('1986-05-01');
  await page.getByLabel('検査キットで検査をした日').fill(japanDay(1));
  await page.getByLabel(/体外診断用医薬品/).check();
  await page.getByRole('group', { name: '妊娠していますか' }).getByLabel('いいえ').check();
  await page.getByRole('group', { name: 'いまの症状は軽いですか' }).getByLabel('はい').check();
  await page.screenshot({ path: join(shots, 'care-screen.png'), fullPage: true });
  await page.getByRole('button', { name: '次へ' }).click();
  await page.getByRole('heading', { name: '登録の内容を入れてください' }).waitFor();
  await page.getByLabel('氏名（姓）').fill('熊本');
  await page.getByLabel('氏名（名）').fill('花子');
  await page.getByLabel('フリガナ（セイ）').fill('くまもと');  // hiragana: refused, field by field
  await page.getByLabel('フリガナ（メイ）').fill('ハナコ');
  await page.getByLabel('携帯電話の番号').fill('090-1234-5678');
  await page.getByLabel('郵便番号').fill('862-8570');
  await page.getByLabel('住所').fill('熊本県熊本市中央区水前寺6-18-1');
  await page.getByLabel('検査をした時刻').fill('09:30');
  await page.getByLabel('症状が出た日').fill(japanDay(2));
  await page.getByLabel('発熱').check();
  await page.getByLabel('検査キットの写真').setInputFiles(join(kits, 'kit_032.jpg'));
  await page.getByLabel(/本人確認書類の写真/).setInputFiles(join(kits, 'photo_with_gps_exif.jpg'));
  await page.getByLabel(/同意します/).check();
  await page.getByRole('button', { name: '送る' }).click();
  await page.getByText('全角のカタカナで入れてください').waitFor();
  await page.screenshot({ path: join(shots, 'care-form-refused.png'), fullPage: true });
  await page.getByLabel('フリガナ（セイ）').fill('クマモト');
  await page.getByLabel('検査キットの写真').setInputFiles(join(kits, 'kit_032.jpg'));
  await page.getByLabel(/本人確認書類の写真/).setInputFiles(join(kits, 'photo_with_gps_exif.jpg'));
  await page.getByRole('button', { name: '送る' }).click();
  await page.getByText('受け付けました。').waitFor();
  const receipt = (await page.locator('.codebig').textContent()).trim();
  assert.match(receipt, /^\d{4}-\d{4}$/);
  await page.getByText('医師の確認を待っています').waitFor();
  await expectAccessible(page, 'the receipt');
  await page.screenshot({ path: join(shots, 'care-receipt.png'), fullPage: true });
  const statusUrl = page.url().split('?')[0];
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scroll on a phone (${width}px)`);

  const desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ja-JP' });
  const doctor = await desk.newPage();
  await logIn(doctor, base, 'isha');
  await doctor.goto(base + '/t/452041/care/queue');
  await doctor.getByText(receipt).waitFor();
  await doctor.screenshot({ path: join(shots, 'care-queue.png'), fullPage: true });
  await doctor.getByRole('button', { name: /次の申請を確認する/ }).click();
  await doctor.getByRole('heading', { name: `申請の確認　受付番号 ${receipt}` }).waitFor();
  const img = doctor.getByRole('img', { name: /検査キットの写真/ });
  await img.waitFor();
  assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the kit photo is shown');
  await doctor.keyboard.press('+');
  assert.match(await img.evaluate((i) => i.style.transform), /scale\(1\.5\)/);
  await expectAccessible(doctor, 'the review page');
  await doctor.screenshot({ path: join(shots, 'care-review.png'), fullPage: true });
  const started = Date.now();
  await doctor.keyboard.press('1');
  assert.ok(await doctor.getByLabel(/確定$/).first().isChecked(), 'key 1 chooses 確定');
  await doctor.keyboard.press('Enter');
  await doctor.getByText('確認待ち 0 件').waitFor();
  assert.ok(Date.now() - started < 15000, 'a clear photo is decided in seconds');

  await page.goto(statusUrl);
  await page.getByText('医師が陽性を確認しました').waitFor();
  await page.screenshot({ path: join(shots, 'care-confirmed.png'), fullPage: true });

  // Once the prefecture has its LINE account set up, the page offers LINE with the word to send,
  // large and on the phone's width.
  sql("INSERT INTO line_channels (tenant_code, channel_secret, access_token, basic_id, updated_at) VALUES ('452041', 'secret', 'token', '@123abcde', 0)");
  await page.goto(statusUrl);
  await page.getByRole('heading', { name: 'LINEで受け取ることもできます' }).waitFor();
  const word = (await page.getByLabel('LINEで送ることば').textContent()).trim();
  assert.match(word, /^連携 [A-Z2-9]{5}-[A-Z2-9]{5}$/);
  // A button opens LINE at the account with the word written (LINE's URL scheme).
  assert.equal(await page.getByRole('link', { name: 'LINEを開いて、このことばを送る' }).getAttribute('href'),
    'https://line.me/R/oaMessage/%40123abcde/?' + encodeURIComponent(word));
  await expectAccessible(page, 'the status page with LINE');
  await page.screenshot({ path: join(shots, 'care-status-line.png'), fullPage: true });
  const lineWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(lineWidth <= 390, `the word fits the phone (${lineWidth}px)`);
  // Linked (as the webhook does when the word is sent), the page says so and goes back to SMS.
  sql("UPDATE care_line_links SET line_user_id = 'U0123456789abcdef0123456789abcdef', linked_at = 0");
  await page.goto(statusUrl);
  await page.getByRole('heading', { name: 'LINEで受け取っています' }).waitFor();
  await page.screenshot({ path: join(shots, 'care-status-line-linked.png'), fullPage: true });
  await page.getByRole('button', { name: 'ショートメッセージに戻す' }).click();
  await page.getByRole('heading', { name: 'LINEで受け取ることもできます' }).waitFor();

  // The supervisor's dashboard, open from now on.
  const office = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ja-JP' });
  const board = await office.newPage();
  await logIn(board, base, 'kanri');
  await board.goto(base + '/t/452041/care/dashboard');
  await board.getByRole('heading', { name: /健康観察の状況/ }).waitFor();
  assert.equal(await board.locator('#p0-count').textContent(), '0');
  await board.evaluate(() => { window.neverReloaded = true; });
  await expectAccessible(board, 'the dashboard');

  // The operator sends today's check-in from the patient's record (a round may have sent it
  // already when confirmed in the morning: then its link goes again).
  const callDesk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ja-JP' });
  const operator = await callDesk.newPage();
  await logIn(operator, base, 'denwa');
  const episode = sql('SELECT id FROM care_episodes');
  await operator.goto(`${base}/t/452041/care/patients/${episode}`);
  await operator.getByRole('heading', { name: '療養者の記録：熊本 花子' }).waitFor();
  await operator.getByRole('button', { name: '今日の健康観察を今すぐ送る' }).click();
  await operator.getByText(/今日の健康観察を送りました/).waitFor();
  await expectAccessible(operator, "the patient's record");
  await operator.screenshot({ path: join(shots, 'care-patient.png'), fullPage: true });
  // The operator keeps the call list open (nobody to call yet).
  const callList = await callDesk.newPage();
  await callList.goto(base + '/t/452041/care/calls');
  await callList.getByText('いま電話が必要な方はいません。').waitFor();
  const variables = JSON.parse(sql("SELECT variables FROM messages WHERE template_key = 'care_check_in' ORDER BY id DESC LIMIT 1"));
  assert.match(variables.link_path, /^\/r\/452041\/care\/c\//);

  // The patient, on the phone, without JavaScript.
  await page.goto(base + variables.link_path);
  await page.getByRole('heading', { name: '今日の健康観察' }).waitFor();
  await page.getByText('唇が紫色になっている').waitFor();
  await page.getByRole('group', { name: '上の症状が、ひとつでもありますか' }).getByLabel('どれもない').check();
  await page.getByLabel('体温（℃）').fill('37.4');
  await page.getByLabel('SpO2（%）').fill('92');
  for (const item of ['顔色が悪い', '咳（せき）・鼻水', '息苦しさ', 'だるさ', '吐き気', '下痢', '意識がぼんやりする', '食事がとれない', '尿が出ない']) {
    await page.getByRole('group', { name: item, exact: true }).getByLabel('いいえ').check();
  }
  await expectAccessible(page, 'the check-in form');
  await page.screenshot({ path: join(shots, 'care-check-in.png'), fullPage: true });
  const phoneWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(phoneWidth <= 390, `no sideways scroll on the check-in form (${phoneWidth}px)`);
  await page.getByRole('button', { name: '送る' }).click();
  await page.getByRole('heading', { name: 'すぐに119番に電話してください' }).waitFor();
  await page.screenshot({ path: join(shots, 'care-check-in-119.png'), fullPage: true });

  // The open dashboard shows the P0 by itself (it polls every 5 s), without a reload.
  await board.locator('#p0-list').getByRole('link', { name: '熊本 花子' }).waitFor({ timeout: 15000 });
  assert.equal(await board.locator('#p0-count').textContent(), '1');
  assert.match(await board.locator('#days-body tr').first().textContent(), /1\s*1\s*100%/, 'today: one sent, one answered');
  assert.ok(await board.evaluate(() => window.neverReloaded === true), 'the dashboard was not reloaded');
  await board.screenshot({ path: join(shots, 'care-dashboard-p0.png'), fullPage: true });

  // The open call list announces the new P0 by itself; reloaded, the patient is first, with the reason.
  await callList.locator('#p0-alert').getByText(/熊本 花子（SpO2 93%以下）/).waitFor({ timeout: 15000 });
  assert.equal(await callList.locator('#calls-count').textContent(), '1');
  await callList.screenshot({ path: join(shots, 'care-calls-alert.png'), fullPage: true });
  await operator.goto(base + '/t/452041/care/calls');
  const first = operator.locator('tbody tr').first();
  assert.match(await first.textContent(), /P0.*SpO2 93%以下.*熊本 花子/s);
  await expectAccessible(operator, 'the call list');
  await operator.screenshot({ path: join(shots, 'care-calls.png'), fullPage: true });
  await phone.close();
  await desk.close();
  await office.close();
  await callDesk.close();
});

test('a supervisor moves the check-in time by keyboard, is told a deadline is wrong beside its box, and saves', async () => {
  const office = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  const page = await office.newPage();
  await logIn(page, base, 'kanri');
  await page.goto(base + '/t/452041/care/dashboard');
  await page.getByRole('link', { name: /療養の設定/ }).click();
  await page.getByRole('heading', { name: /療養の設定/ }).waitFor();
  assert.equal(await page.getByLabel('送る時刻', { exact: true }).inputValue(), '09:00');
  await page.getByLabel('送る時刻', { exact: true }).fill('8:30');
  await page.getByLabel('答えがないとき、もう一度送る時刻').fill('11:00');
  await page.getByLabel('それでも答えがないとき、電話の一覧に載せる時刻').fill('10:00');
  await page.getByLabel('それでも答えがないとき、電話の一覧に載せる時刻').press('Enter');
  await page.getByRole('alert').getByText('電話の一覧に載せる時刻は、もう一度送る時刻より後にしてください。').waitFor();
  assert.equal(await page.getByLabel('それでも答えがないとき、電話の一覧に載せる時刻').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('送る時刻', { exact: true }).inputValue(), '8:30', 'what was typed stays');
  assert.equal(sql("SELECT COUNT(*) FROM care_settings WHERE tenant_code = '452041'"), '0', 'nothing saved');
  await expectAccessible(page, 'the care settings page with an error');
  await page.screenshot({ path: join(shots, 'care-settings-error.png'), fullPage: true });
  await page.getByLabel('それでも答えがないとき、電話の一覧に載せる時刻').fill('14:00');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.getByRole('status').getByText(/保存しました。/).waitFor();
  assert.equal(sql("SELECT check_in_minute || ' ' || remind_after_minutes || ' ' || call_after_minutes FROM care_settings WHERE tenant_code = '452041'"),
    '510 150 330');
  await page.screenshot({ path: join(shots, 'care-settings.png'), fullPage: true });
  await office.close();
});
