// What the load scripts share: `build/madoguchi serve` started on a database on a free loopback
// port (waited for until /healthz answers), a percentile of sorted times, a process's peak memory.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

export function freePort() {
  return new Promise((ok) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

// The p-th percentile of ascending `xs`.
export const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

// A process's peak resident memory (VmHWM) in MiB.
export function vmhwm(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
}

// `binary serve --db db` on a free port, answering: { server, base }.
export async function startServe(binary, db) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(binary, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try { if ((await fetch(base + '/healthz')).ok) break; } catch { /* not yet */ }
    if (i > 400) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 25));
  }
  return { server, base };
}
