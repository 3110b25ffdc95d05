// Shared by the browser tests: a free port, the server on a temporary SQLite database, Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
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
export async function startWorld(prefix, staff) {
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
  const server = spawn(binary, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  await waitHealthy(base);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    dir, base, browser, server, db,
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
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
