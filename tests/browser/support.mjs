// Shared by the browser tests: a free port, the server on a temporary SQLite database, Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '..', '..');
export const binary = process.env.MADOGUCHI_BINARY || join(root, 'build', 'madoguchi');
export const shots = join(root, 'build', 'screenshots');
export const password = 'browser test password';

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

// Tenant 日南市 (452041) with the given staff ([login, role, display name]), a server and a browser.
// With { kannel: true }: a real Kannel (scripts/kannel-throwaway.sh) and the server delivering SMS
// through it (serve --worker, links at the server's own address, Kannel's admin port on the status
// page), quiet hours off; world.kannel has its fakesmsc log.
export async function startWorld(prefix, staff, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(shots, { recursive: true });
  const db = `sqlite:${dir}/w.db`;
  execFileSync(binary, ['tenant', 'add', '--db', db, '--code', '452041', '--name', '日南市']);
  for (const [login, role, name] of staff) {
    execFileSync(binary, ['user', 'add', '--db', db, '--login', login, '--role', role, '--tenant', '452041', '--name', name],
      { input: password + '\n' });
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const extra = [];
  let kannel = null;
  if (options.kannel) {
    execFileSync(binary, ['migrate', '--db', db]);
    execFileSync('sqlite3', [`${dir}/w.db`, "INSERT INTO messaging_settings (tenant_code, quiet_start_min, quiet_end_min, max_sms_parts, sms_sen_per_part, sms_sender, updated_at) VALUES ('452041', 0, 0, 4, 300, 'madoguchi', 0)"]);
    const hooks = JSON.parse(execFileSync(binary, ['sms', 'hooks', '--db', db, '--callback-url', base], { encoding: 'utf8' }));
    const out = execFileSync(join(root, 'scripts', 'kannel-throwaway.sh'), ['start', hooks.mo_url], { encoding: 'utf8' });
    const value = (name) => (out.match(new RegExp(`${name}='?([^' \\n]+)`)) || [])[1];
    kannel = { dir: value('KANNEL_DIR'), log: value('KANNEL_FAKESMSC_LOG'), moPort: value('KANNEL_MO_PORT') };
    extra.push('--worker', '--kannel-url', value('KANNEL_SENDSMS_URL'), '--kannel-user', 'mdg', '--kannel-pass', value('KANNEL_PASS'),
      '--smsc', 'mt', '--public-url', base, '--kannel-admin-url', value('KANNEL_ADMIN'), '--kannel-admin-pass', value('KANNEL_ADMIN_PASS'));
  }
  const server = spawn(binary, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...extra], { stdio: 'ignore' });
  await waitHealthy(base);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    dir, base, browser, server, db, kannel,
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      if (kannel) execFileSync(join(root, 'scripts', 'kannel-throwaway.sh'), ['stop', kannel.dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Logs `login` in on `page` through the login form.
export async function logIn(page, base, login) {
  await page.goto(base + '/');
  await page.getByLabel('ログイン名').fill(login);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
}

const axeSource = readFileSync(join(import.meta.dirname, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// axe-core (WCAG 2.x A and AA rules and best practices) on `page` as it is shown now: no serious or
// critical violation. A page opened with JavaScript off or under the pages' Content-Security-Policy
// cannot run axe's inline script, so its document is copied
// into a page of its own at the same address (same styles), without refreshes that would leave it.
export async function expectAccessible(page, what) {
  let target = page;
  let scratch = null;
  // The pages' Content-Security-Policy refuses inline scripts (as it should): then too.
  const ran = await page.addScriptTag({ content: axeSource }).then(() => true, () => false);
  if (!ran || !(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    const html = (await page.content()).replace(/<meta http-equiv="refresh"[^>]*>/gi, '');
    scratch = await page.context().browser().newContext({ viewport: page.viewportSize(), locale: 'ja-JP' });
    target = await scratch.newPage();
    await target.route('**/*', (route) => (route.request().isNavigationRequest()
      ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.continue()));
    await target.goto(page.url());
    await target.addScriptTag({ content: axeSource });
  }
  const result = await target.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  await scratch?.close();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `axe on ${what} (${page.url()})`);
}
