// Home-test applications under load (issue #13, docs/benchmarks.md), against build/madoguchi serve
// on a fresh SQLite database (synchronous=FULL):
//   1. a burst of N applications with photos (the kit photos of ../shared/data/kits in turn and the
//      GPS-tagged photo as the ID photo), C at once, through the real form post (multipart): every
//      one must be answered 303 with its status link; reports applications/s, latency, the server's
//      peak memory (VmHWM) and how the pre-read sorted them;
//   2. the doctors' queue page with Q applications waiting (filled up by SQL from the burst's rows):
//      a doctor loads it R times; reports p50/p95/max.
//
//   node bench/care_load.mjs [--applications 3000] [--concurrency 32] [--queue 100000] [--rounds 50]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pct, startServe, vmhwm } from './support.mjs';

const root = resolve(import.meta.dirname, '..');
const binary = process.env.MADOGUCHI_BINARY || join(root, 'build', 'madoguchi');
const kits = join(root, '..', 'shared', 'data', 'kits');
const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const N = Number(args.applications || 3000);
const C = Number(args.concurrency || 32);
const Q = Number(args.queue || 100000);
const R = Number(args.rounds || 50);
const password = 'bench password 123';

const japanDay = (days) => new Date(Date.now() + 9 * 3600000 - days * 86400000).toISOString().slice(0, 10);

const dir = mkdtempSync(join(tmpdir(), 'madoguchi-care-bench-'));
const dbPath = join(dir, 'b.db');
const db = `sqlite:${dbPath}`;
execFileSync(binary, ['tenant', 'add', '--db', db, '--code', '452041', '--name', '日南市']);
execFileSync(binary, ['user', 'add', '--db', db, '--login', 'isha', '--role', 'doctor', '--tenant', '452041', '--name', '医師'],
  { input: password + '\n' });
const { server, base } = await startServe(binary, db);

const photos = readdirSync(kits).filter((f) => /^kit_\d+\.jpg$/.test(f)).sort().map((f) => readFileSync(join(kits, f)));
const idPhoto = readFileSync(join(kits, 'photo_with_gps_exif.jpg'));
const kit = (await (await fetch(base + '/r/452041/care')).text()).match(/name="kit" value="([^"]+)"/)[1];
const fields = {
  birth_date: '1986-05-01', tested_on: japanDay(1), kit, pregnant: 'no', mild: 'yes', family_name: '熊本', given_name: '花子',
  family_kana: 'クマモト', given_kana: 'ハナコ', phone: '090-1234-5678', postal_code: '862-8570', address: '熊本県熊本市中央区水前寺6-18-1',
  tested_time: '9:30', onset_on: japanDay(2), symptom: 'fever', consent: '1',
};
const headers = { Cookie: 'madoguchi_rcsrf=bench-token' };

let next = 0, failed = 0, peak = 0;
const latencies = [];
const byState = {};
async function client() {
  while (next < N) {
    const i = next++;
    const form = new FormData();
    form.append('csrf_token', 'bench-token');
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('kit_photo', new Blob([photos[i % photos.length]], { type: 'image/jpeg' }), 'kit.jpg');
    form.append('id_photo', new Blob([idPhoto], { type: 'image/jpeg' }), 'id.jpg');
    const t = performance.now();
    const r = await fetch(base + '/r/452041/care/apply', { method: 'POST', body: form, headers, redirect: 'manual' });
    await r.arrayBuffer();
    latencies.push(performance.now() - t);
    if (r.status !== 303 || !(r.headers.get('location') || '').includes('/care/s/')) {
      if (failed++ === 0) console.error('first failure:', r.status, r.headers.get('location'));
    }
  }
}
const sampler = setInterval(() => { peak = Math.max(peak, vmhwm(server.pid)); }, 200);
const start = performance.now();
await Promise.all(Array.from({ length: C }, client));
const seconds = (performance.now() - start) / 1000;
peak = Math.max(peak, vmhwm(server.pid));
clearInterval(sampler);
latencies.sort((a, b) => a - b);
for (const line of execFileSync('sqlite3', [dbPath, 'SELECT state, category, COUNT(*) FROM care_applications GROUP BY 1, 2'], { encoding: 'utf8' })
  .trim().split('\n')) {
  const [state, category, count] = line.split('|');
  byState[`${state}/${category}`] = Number(count);
}
const files = execFileSync('sh', ['-c', `find ${dir}/files -name '*.jpg' | wc -l`], { encoding: 'utf8' }).trim();
console.log(JSON.stringify({
  burst: { applications: N, concurrency: C, failed, seconds: +seconds.toFixed(1), per_second: +(N / seconds).toFixed(1),
    p50_ms: +pct(latencies, 50).toFixed(0), p95_ms: +pct(latencies, 95).toFixed(0), p99_ms: +pct(latencies, 99).toFixed(0),
    server_peak_rss_mib: +peak.toFixed(0), photo_files: Number(files), sorted: byState },
}));

// The queue at Q: copies of the burst's waiting rows, with their own receipts and times.
const have = Number(execFileSync('sqlite3', [dbPath, 'SELECT COUNT(*) FROM care_applications'], { encoding: 'utf8' }));
if (Q > have) {
  execFileSync('sqlite3', [dbPath, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${Q - have})
    INSERT INTO care_applications (tenant_code, receipt, state, queue_rank, answers, family_kana, phone, reading, category, test_line,
      automatic_returns, photos_sent, submitted_at, updated_at)
    SELECT a.tenant_code, printf('B%07d', n.i), 'waiting', n.i % 3, a.answers, a.family_kana, a.phone, a.reading, a.category, a.test_line,
      0, 1, a.submitted_at - n.i * 1000, a.updated_at
    FROM n, (SELECT * FROM care_applications WHERE state = 'waiting' LIMIT 1) a`]);
}
const login = await fetch(base + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ login: 'isha', password }) });
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const times = [];
let waiting = '';
for (let i = 0; i < R; i++) {
  const t = performance.now();
  const r = await fetch(base + '/t/452041/care/queue', { headers: { Cookie: cookie } });
  const body = await r.text();
  times.push(performance.now() - t);
  if (r.status !== 200) throw new Error(`queue page: ${r.status}`);
  waiting = (body.match(/確認待ち <strong>(\d+)<\/strong>/) || [])[1];
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ queue: { applications: Number(execFileSync('sqlite3', [dbPath, 'SELECT COUNT(*) FROM care_applications'], { encoding: 'utf8' })),
  waiting: Number(waiting), rounds: R, p50_ms: +pct(times, 50).toFixed(1), p95_ms: +pct(times, 95).toFixed(1), max_ms: +times[times.length - 1].toFixed(1) } }));

server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
rmSync(dir, { recursive: true, force: true });
