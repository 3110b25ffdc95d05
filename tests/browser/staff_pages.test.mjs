// Browser tests of the staff pages in Debian's headless Chromium, driven by playwright-core.
// Starts build/madoguchi on a temporary SQLite database, logs in as a person would, and saves
// screenshots under build/screenshots/ for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const binary = process.env.MADOGUCHI_BINARY || join(root, 'build', 'madoguchi');
const shots = join(root, 'build', 'screenshots');
const password = 'browser test password';
let dir, server, browser, base;

function freePort() {
  return new Promise((ok) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

async function waitHealthy(url) {
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(url + '/healthz')).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('server did not answer /healthz');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'madoguchi-browser-'));
  mkdirSync(shots, { recursive: true });
  const db = `sqlite:${dir}/b.db`;
  execFileSync(binary, ['tenant', 'add', '--db', db, '--code', '452041', '--name', '日南市']);
  for (const [login, role] of [['yamada', 'operator'], ['kanri', 'admin']]) {
    execFileSync(binary, ['user', 'add', '--db', db, '--login', login, '--role', role, '--tenant', '452041',
      '--name', login === 'yamada' ? '山田 花子' : '管理 太郎'], { input: password + '\n' });
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(binary, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  await waitHealthy(base);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function logIn(page, login, pw) {
  await page.goto(base + '/');
  assert.match(page.url(), /\/login\?next=/);
  await page.getByLabel('ログイン名').fill(login);
  await page.getByLabel('パスワード').fill(pw);
  await page.getByRole('button', { name: 'ログイン' }).click();
}

test('an operator logs in on a phone-sized screen, sees large text, and logs out', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, 'yamada', password);
  await page.getByRole('heading', { name: 'ようこそ、山田 花子 さん' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  const fontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(fontPx >= 20, `body text is ${fontPx}px; staff pages use at least 20px`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, 'no sideways scrolling on a phone');
  const buttonHeight = await page.getByRole('button', { name: 'ログアウト' }).evaluate((b) => b.offsetHeight);
  assert.ok(buttonHeight >= 40, 'the logout button is easy to hit');
  await page.screenshot({ path: join(shots, 'home-phone.png'), fullPage: true });
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await page.getByRole('heading', { name: '職員ログイン' }).waitFor();
  await page.goto(base + '/');
  assert.match(page.url(), /\/login/, 'after logout the home page asks for login again');
  await context.close();
});

test('a wrong password shows a Japanese message and keeps the login name', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, 'yamada', 'not the password');
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByRole('alert').innerText(), 'ログイン名またはパスワードが違います。');
  assert.equal(await page.getByLabel('ログイン名').inputValue(), 'yamada');
  assert.equal(await page.getByLabel('パスワード').inputValue(), '');
  await page.screenshot({ path: join(shots, 'login-error.png') });
  await context.close();
});

test('an admin reads the audit log and downloads it as CSV', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP', acceptDownloads: true });
  const page = await context.newPage();
  await logIn(page, 'kanri', password);
  await page.getByRole('link', { name: '監査ログを見る' }).click();
  await page.getByRole('heading', { name: '監査ログ：日南市（452041）' }).waitFor();
  const rows = await page.locator('tbody tr').count();
  assert.ok(rows >= 4, `expected the logins and user creations, got ${rows} rows`);
  assert.ok((await page.locator('tbody').innerText()).includes('session.login_failed'));
  await page.screenshot({ path: join(shots, 'audit.png'), fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'CSVでダウンロード' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'audit-452041.csv');
  await context.close();
});
