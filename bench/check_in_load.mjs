// A morning of health check-ins answered through the pages (issue #13, docs/benchmarks.md):
// build/bench/check_in_day seeds P home-care patients on a fresh SQLite database
// (synchronous=FULL) and runs the 09:00 rounds (every check-in into the outbox, its link signed
// with the database's secret); then build/madoguchi serve on that database, and C patients at a
// time each open their link from the outbox, send the form (a well patient, or SpO2 92 for one in
// a hundred) and are shown what to do — A check-ins in all, as a phone does them (GET the form,
// POST it, follow the redirect to the advice). Reports check-ins answered per second, the post's
// latency, the server's peak memory, and what the database holds afterwards (reports by priority,
// every check-in answered once).
//
//   node bench/check_in_load.mjs [--patients 100000] [--answers 20000] [--concurrency 16]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pct, startServe, vmhwm } from './support.mjs';

const root = resolve(import.meta.dirname, '..');
const binary = process.env.MADOGUCHI_BINARY || join(root, 'build', 'madoguchi');
const seeder = join(root, 'build', 'bench', 'check_in_day');
const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const P = Number(args.patients || 100000);
const A = Math.min(P, Number(args.answers || 20000));
const C = Number(args.concurrency || 16);

const sql = (dbPath, q) => execFileSync('sqlite3', [dbPath, q], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim();

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-check-in-bench-'));
const dbPath = join(dir, 'c.db');
const db = `sqlite:${dbPath}`;
process.stdout.write(execFileSync(seeder, ['--db', db, '--patients', String(P), '--send-only', '1'], { encoding: 'utf8' }));
const links = sql(dbPath, `SELECT json_extract(variables, '$.link_path') FROM messages WHERE template_key = 'care_check_in' ORDER BY id LIMIT ${A}`)
  .split('\n');
if (links.length !== A) throw new Error(`expected ${A} check-in links, found ${links.length}`);

const { server, base } = await startServe(binary, db);

const headers = { Cookie: 'madoguchi_rcsrf=bench-token' };
let next = 0, failed = 0, peak = 0, p0 = 0;
const posts = [], whole = [];
async function patient() {
  while (next < A) {
    const i = next++;
    const t = performance.now();
    const page = await fetch(base + links[i], { headers });
    const html = await page.text();
    const symptoms = [...new Set([...html.matchAll(/name="(s_[a-z_]+)"/g)].map((m) => m[1]))];
    if (page.status !== 200 || symptoms.length === 0) {
      if (failed++ === 0) console.error('first failure (form):', page.status, html.slice(0, 200));
      continue;
    }
    const sick = i % 100 === 0;
    const form = new URLSearchParams({ csrf_token: 'bench-token', urgent: 'no', temperature: '36.8', spo2: sick ? '92' : '97', note: '' });
    for (const s of symptoms) form.append(s, 'no');
    const p = performance.now();
    const sent = await fetch(base + links[i], { method: 'POST', body: form, headers, redirect: 'manual' });
    await sent.arrayBuffer();
    posts.push(performance.now() - p);
    const advice = sent.status === 303 ? await fetch(base + sent.headers.get('location'), { headers }) : null;
    const told = advice ? await advice.text() : '';
    whole.push(performance.now() - t);
    if (!advice || advice.status !== 200 || !told.includes(sick ? '119番' : '報告を受け取りました')) {
      if (failed++ === 0) console.error('first failure (post):', sent.status, told.slice(0, 200));
    }
    if (sick) ++p0;
  }
}
const sampler = setInterval(() => { peak = Math.max(peak, vmhwm(server.pid)); }, 200);
const start = performance.now();
await Promise.all(Array.from({ length: C }, patient));
const seconds = (performance.now() - start) / 1000;
peak = Math.max(peak, vmhwm(server.pid));
clearInterval(sampler);
posts.sort((a, b) => a - b);
whole.sort((a, b) => a - b);
const byPriority = Object.fromEntries(sql(dbPath, 'SELECT priority, COUNT(*) FROM care_reports GROUP BY 1').split('\n').map((l) => { const [k, v] = l.split('|'); return [k, Number(v)]; }));
console.log(JSON.stringify({
  check_ins: { patients: P, answered: A, concurrency: C, failed, seconds: +seconds.toFixed(1), per_second: +(A / seconds).toFixed(1),
    post_p50_ms: +pct(posts, 50).toFixed(1), post_p95_ms: +pct(posts, 95).toFixed(1), post_p99_ms: +pct(posts, 99).toFixed(1),
    whole_p50_ms: +pct(whole, 50).toFixed(1), whole_p99_ms: +pct(whole, 99).toFixed(1), server_peak_rss_mib: +peak.toFixed(0),
    reports_by_priority: byPriority, sent_spo2_92: p0,
    check_ins_answered: Number(sql(dbPath, "SELECT COUNT(*) FROM care_check_ins WHERE state = 'answered'")),
    p0_on_call_list: Number(sql(dbPath, 'SELECT COUNT(*) FROM care_episodes WHERE call_priority = 0')) },
}));

server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
rmSync(dir, { recursive: true, force: true });
