// A supervisor sends an SMS campaign in Debian's headless Chromium: uploads a recipient list and
// writes the text, sees recipients, parts and cost before anything is sent, sends it, and watches
// it reach every phone through a real Kannel (fakesmsc's log is the witness); a resident replies and an
// operator answers from the inbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startWorld, shots, logIn, expectAccessible } from './support.mjs';

let world;

before(async () => {
  world = await startWorld('madoguchi-campaign-', [['sato', 'supervisor', '佐藤 一郎'], ['yamada', 'operator', '山田 花子']], { kannel: true });
});

after(async () => { await world?.stop(); });

test('a supervisor previews a campaign, sends it and watches it delivered', async () => {
  const context = await world.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, world.base, 'sato');
  await page.goto(world.base + '/t/452041/campaigns');
  await page.getByRole('heading', { name: '一斉送信：日南市' }).waitFor();
  await expectAccessible(page, 'the campaigns page');
  await page.screenshot({ path: join(shots, 'campaign-new.png'), fullPage: true });

  await page.getByLabel('名前（職員が見分けるためのもの。送りません）').fill('接種券の発送のお知らせ');
  await page.getByLabel('文面').fill('{氏名}様　日南市です。接種券を本日発送しました。届きましたら、ウェブかお電話で予約をお願いします。予約の受付は12月10日からです。お問い合わせは窓口まで。');
  const csv = '電話番号,氏名\n090-1111-2222,日南 花子\n０８０－３３３３－４４４４,日南 次郎\n070-5555-6666,日南 三郎\n';
  await page.getByLabel('宛先のファイル（CSV）').setInputFiles({ name: 'recipients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByLabel('予約のページへのリンクを最後に付ける').check();
  await page.getByRole('button', { name: '確認する（まだ送りません）' }).click();

  await page.getByRole('heading', { name: '送る前の確認' }).waitFor();
  const facts = await page.locator('dl.facts').innerText();
  assert.match(facts, /宛先\s+3 人/);
  assert.match(facts, /最大 2 通分/, 'a text over 70 characters is two parts');
  assert.match(facts, /合計の通数\s+6 通分/);
  assert.match(facts, /18 円/);
  assert.match(await page.locator('p.sample').innerText(), /^日南 花子様/);
  assert.match(await page.locator('p.sample').innerText(), /\/s\/XXXXXXXX$/, 'the sample ends with where the link goes');
  assert.match(facts, /予約のページへの短いリンク/);
  await page.screenshot({ path: join(shots, 'campaign-preview.png'), fullPage: true });
  await expectAccessible(page, 'the campaign preview');
  assert.doesNotMatch(readFileSync(world.kannel.log, 'utf8'), /Got message/, 'nothing is sent by a preview');

  await page.getByRole('button', { name: '送信する' }).click();
  await page.getByRole('heading', { name: '送信の状況' }).waitFor();
  // The page refreshes itself while sending; wait until every phone has it.
  for (let i = 0; i < 60; i++) {
    await page.reload();
    if (/届いた：3 人/.test(await page.locator('body').innerText())) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  // A resident taps the link in the message (its code is in the outbox's short links).
  const code = execFileSync('sqlite3', [world.db.replace(/^sqlite:/, ''), 'SELECT code FROM short_links ORDER BY message_id LIMIT 1'],
    { encoding: 'utf8' }).trim();
  assert.equal(code.length, 8);
  const resident = await context.newPage();
  await resident.goto(world.base + '/s/' + code);
  assert.match(resident.url(), /\/r\/452041$/, 'the link opens the booking page');
  await resident.close();
  await page.reload();
  const progress = await page.locator('body').innerText();
  assert.match(progress, /届いた：3 人（100%）/);
  assert.match(progress, /リンクを開いた：1 人（33%）/);
  assert.match(progress, /送り終えました/);
  assert.equal(await page.locator('figure svg[role=img]').count(), 1, 'the totals over time as a chart');
  await page.screenshot({ path: join(shots, 'campaign-progress.png'), fullPage: true });
  await expectAccessible(page, 'the campaign progress');
  await page.getByRole('link', { name: '宛先ごとの状況を見る' }).click();
  await page.getByRole('heading', { name: '宛先ごとの状況：接種券の発送のお知らせ' }).waitFor();
  const rows = await page.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 3);
  assert.match(rows[0], /090-1111-2222\s+ショートメッセージ\s+届いた\s+開いた（1 回）/);
  await page.screenshot({ path: join(shots, 'campaign-recipients.png'), fullPage: true });
  await expectAccessible(page, 'the campaign recipients');
  await page.getByLabel('表示する方').selectOption('opened');
  await page.getByRole('button', { name: '表示する' }).click();
  assert.equal(await page.locator('tbody tr').count(), 1, 'only who opened the link');
  const log = readFileSync(world.kannel.log, 'utf8');
  for (const phone of ['+819011112222', '+818033334444', '+817055556666']) {
    assert.equal((log.match(new RegExp(`\\${phone} `, 'g')) || []).length, 2, `${phone} got the message in two parts`);
  }
  // How sending is going, from the home page.
  await page.goto(world.base + '/');
  await page.getByRole('link', { name: '送信の状況（お知らせが届いているか）' }).click();
  await page.getByText('送信は順調です。').waitFor();
  assert.match(await page.locator('body').innerText(), /直近5分に届いた数\s+3 通/);
  assert.match(await page.locator('body').innerText(), /中継の状態\s+動いています/, "Kannel's own view");
  await page.screenshot({ path: join(shots, 'messaging-status.png'), fullPage: true });
  await expectAccessible(page, 'the sending status');
  await context.close();
});

// A handset's reply through Kannel's second fake SMSC, as UCS-2.
async function reply(from, text) {
  const ucs2 = Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase().replace(/(..)/g, '%$1');
  const p = spawn('/usr/lib/kannel/test/fakesmsc', ['-H', '127.0.0.1', '-r', world.kannel.moPort, '-m', '1', `${from} 12345 ucs2 ${ucs2}`],
    { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1500));
  p.kill('SIGTERM');
}

test('an operator answers a resident\'s reply from the inbox, by SMS to the same number', async () => {
  await reply('+819011112222', '届きました。電話でも予約できますか');
  const context = await world.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, world.base, 'yamada');
  await page.getByRole('link', { name: '返信の受信箱（住民からのショートメッセージ）' }).click();
  await page.getByRole('heading', { name: '返信の受信箱：日南市' }).waitFor();
  for (let i = 0; i < 20 && !(await page.getByText('届きました。電話でも予約できますか').count()); i++) {
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
  }
  await page.getByText('届きました。電話でも予約できますか').waitFor();
  assert.match(await page.locator('body').innerText(), /返信先のお知らせ：一斉送信「日南 花子様/);
  await expectAccessible(page, 'the inbox');
  await page.screenshot({ path: join(shots, 'inbox.png'), fullPage: true });
  await page.getByLabel('返信の文面（この番号へショートメッセージで送ります）').fill('はい、お電話でも予約できます。');
  await page.getByRole('button', { name: '返信する' }).click();
  await page.getByText('返信を送りました').waitFor();
  let log = '';
  for (let i = 0; i < 40; i++) {
    log = readFileSync(world.kannel.log, 'utf8');
    if (log.split('\n').filter((l) => l.includes('+819011112222 ')).length >= 3) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(log.split('\n').filter((l) => l.includes('+819011112222 ')).length, 3, 'two parts of the campaign, then the answer');
  await context.close();
});
