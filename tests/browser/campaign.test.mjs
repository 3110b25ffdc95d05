// A supervisor sends an SMS campaign in Debian's headless Chromium: uploads a recipient list and
// writes the text, sees recipients, parts and cost before anything is sent, sends it, and watches
// it reach every phone through a real Kannel (fakesmsc's log is the witness).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorld, shots, logIn, expectAccessible } from './support.mjs';

let world;

before(async () => {
  world = await startWorld('madoguchi-campaign-', [['sato', 'supervisor', '佐藤 一郎']], { kannel: true });
});

after(async () => { await world?.stop(); });

test('a supervisor previews a campaign, sends it and watches it delivered', async () => {
  const context = await world.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, world.base, 'sato');
  await page.goto(world.base + '/t/452041/campaigns');
  await page.getByRole('heading', { name: '一斉送信：日南市' }).waitFor();
  await expectAccessible(page, 'the campaigns page');

  await page.getByLabel('名前（職員が見分けるためのもの。送りません）').fill('接種券の発送のお知らせ');
  await page.getByLabel('文面').fill('{氏名}様　日南市です。接種券を本日発送しました。届きましたら、ウェブかお電話で予約をお願いします。予約の受付は12月10日からです。お問い合わせは窓口まで。');
  const csv = '電話番号,氏名\n090-1111-2222,日南 花子\n０８０－３３３３－４４４４,日南 次郎\n070-5555-6666,日南 三郎\n';
  await page.getByLabel('宛先のファイル（CSV）').setInputFiles({ name: 'recipients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: '確認する（まだ送りません）' }).click();

  await page.getByRole('heading', { name: '送る前の確認' }).waitFor();
  const facts = await page.locator('dl.facts').innerText();
  assert.match(facts, /宛先\s+3 人/);
  assert.match(facts, /最大 2 通分/, 'a text over 70 characters is two parts');
  assert.match(facts, /合計の通数\s+6 通分/);
  assert.match(facts, /18 円/);
  assert.match(await page.locator('p.sample').innerText(), /^日南 花子様/);
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
  const progress = await page.locator('body').innerText();
  assert.match(progress, /届いた：3 人（100%）/);
  assert.match(progress, /送り終えました/);
  await page.screenshot({ path: join(shots, 'campaign-progress.png'), fullPage: true });
  await expectAccessible(page, 'the campaign progress');
  const log = readFileSync(world.kannel.log, 'utf8');
  for (const phone of ['+819011112222', '+818033334444', '+817055556666']) {
    assert.equal((log.match(new RegExp(`\\${phone} `, 'g')) || []).length, 2, `${phone} got the message in two parts`);
  }
  await context.close();
});
