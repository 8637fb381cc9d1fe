#!/usr/bin/env node
// Benchmark (not a test): ZeroMQ ring all-reduce of @omnitrain/distributed (built dist) vs PyTorch
// Gloo, measured in the same run on this machine. Bus bandwidth = 2(N-1)/N x bytes / time (the
// NCCL-tests convention), median of REPS; 1 KB latency = mean over LAT_ITERS back-to-back calls.
// Prints a table with the ratios and writes reports/bench/allreduce.json and allreduce.svg (bus bandwidth
// bars per N and size, ours over tcp and ipc beside Gloo, with the ratios).
// `node tools/bench/allreduce.mjs --chart <allreduce.json> [out.svg]` redraws the chart of a saved run.
// Needs: npx tsc -p libs/distributed/tsconfig.lib.json (and its deps' dist). Env: BENCH_QUICK=1 for a short run,
// BENCH_SIZES=1000000,10000000 / BENCH_WORLDS=2,3 to pick cases, BENCH_SEGMENT_BYTES to override segmentBytes,
// BENCH_NO_GLOO=1 to skip the peer (quick iterations only; reported tables always include Gloo),
// BENCH_DATA_PLANE=zmq|net to pick the collective's data plane (default: its own, net on loopback),
// BENCH_ALGORITHM=ring|direct|auto for the collective's allReduceAlgorithm (default: its own, auto),
// BENCH_DIST=<path to an index.js> to measure another build of the lib (A/B runs in one session),
// BENCH_LAT_WARMUP=<calls> before the 1 KB latency loop (default 1000, the same for Gloo: steady state, JIT warm).
// The 1 KB table also gives CPU time per call (all threads of rank 0's process), which load skews less than wall time.
// The 1-minute load average is printed per world size: this machine is shared, compare ratios.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = process.env.BENCH_DIST ?? join(root, 'libs/distributed/dist/index.js');
const quick = process.env.BENCH_QUICK === '1';
const list = (v) => (v ? v.split(',').map(Number) : undefined);
const SIZES = list(process.env.BENCH_SIZES) ?? (quick ? [1_000_000] : [1_000_000, 10_000_000, 25_000_000]);
const WORLDS = list(process.env.BENCH_WORLDS) ?? (quick ? [2] : [2, 3, 4]);
const SEGMENT_BYTES = Number(process.env.BENCH_SEGMENT_BYTES ?? 0) || undefined; // default: the collective's own
const NO_GLOO = process.env.BENCH_NO_GLOO === '1';
const DATA_PLANE = process.env.BENCH_DATA_PLANE; // undefined: the collective's default
const ALGORITHM = process.env.BENCH_ALGORITHM; // undefined: the collective's default
// ZeroMQ mallocs every received message (segments of 1 MiB); glibc serves those with a fresh mmap
// (page faults on every byte, ~0.3 GB/s on this VM) unless its mmap threshold is above the segment
// size. Workers get this (the recommended deployment setting, PROTOCOL.md step 2); BENCH_MALLOC=default
// measures without it.
const MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=268435456';
const WORKER_ENV = process.env.BENCH_MALLOC === 'default' ? {} : { GLIBC_TUNABLES: MALLOC_TUNABLES };
const REPS = quick ? 3 : 5;
const LAT_ITERS = quick ? 200 : 1000;
const LAT_WARMUP = Number(process.env.BENCH_LAT_WARMUP ?? 0) || (quick ? 200 : 1000);
const PYTHON = '/usr/bin/python3';

if (!existsSync(dist)) {
  console.error(`allreduce bench: ${dist} is missing; build first: npx tsc -p libs/distributed/tsconfig.lib.json`);
  process.exit(2);
}
if (process.argv[2] === '--chart') {
  const saved = JSON.parse(await readFile(process.argv[3] ?? join(root, 'reports/bench/allreduce.json'), 'utf8'));
  const out = process.argv[4] ?? join(root, 'reports/bench/allreduce.svg');
  await writeFile(out, chart(saved));
  console.log(`wrote ${out}`);
  process.exit(0);
}
const { ZmqCollective, launchLocal, findFreePort } = await import(pathToFileURL(dist).href);

// --- worker mode: one rank of one configuration ---
if (process.argv[2] === '--worker') {
  const { transport } = JSON.parse(process.argv[3]);
  const c = await ZmqCollective.fromEnv(process.env, { transport, ...(SEGMENT_BYTES ? { segmentBytes: SEGMENT_BYTES } : {}), ...(DATA_PLANE ? { dataPlane: DATA_PLANE } : {}), ...(ALGORITHM ? { allReduceAlgorithm: ALGORITHM } : {}), rendezvousTimeoutMs: 120_000 });
  const out = { sizes: {} };
  for (const n of SIZES) {
    const data = Float32Array.from({ length: n }, () => Math.random());
    await c.allReduce(data, 'sum'); // warm-up
    const times = [];
    for (let i = 0; i < REPS; i++) {
      await c.barrier('rep');
      const t0 = performance.now();
      await c.allReduce(data, 'sum');
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    out.sizes[n] = times[Math.floor(times.length / 2)];
  }
  const small = Float32Array.from({ length: 256 }, () => Math.random()); // 1 KB
  for (let i = 0; i < LAT_WARMUP; i++) await c.allReduce(small, 'sum');
  await c.barrier('lat');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < LAT_ITERS; i++) await c.allReduce(small, 'sum');
  out.latency = (performance.now() - t0) / 1000 / LAT_ITERS;
  const cpu = process.cpuUsage(cpu0);
  out.latencyCpu = (cpu.user + cpu.system) / 1e6 / LAT_ITERS; // seconds of CPU per call
  if (c.rank === 0) console.log(`RESULT ${JSON.stringify(out)}`);
  await c.close();
  process.exit(0);
}

// --- driver ---
async function ours(nproc, transport) {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d) => (text += d.toString()));
  await launchLocal({ nproc, command: process.execPath, args: [fileURLToPath(import.meta.url), '--worker', JSON.stringify({ transport })], env: WORKER_ENV, stdout });
  const line = text.split('\n').find((l) => l.startsWith('[rank 0] RESULT '));
  if (!line) throw new Error(`no result from rank 0 (N=${nproc}, ${transport}):\n${text}`);
  return JSON.parse(line.slice('[rank 0] RESULT '.length));
}

function gloo(nproc, port) {
  return new Promise((resolve) => {
    execFile(
      PYTHON,
      [join(here, 'allreduce-gloo.py'), String(nproc), String(port), SIZES.join(','), String(REPS), String(LAT_ITERS), String(LAT_WARMUP)],
      { env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 600_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) return resolve({ error: `${error.message.split('\n')[0]} ${stderr.split('\n').filter(Boolean).slice(-2).join(' ')}` });
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop()));
        } catch {
          resolve({ error: `unreadable output: ${stdout.slice(0, 200)}` });
        }
      },
    );
  });
}

const busBw = (n, N, seconds) => (2 * (N - 1) / N) * n * 4 / seconds / 1e9; // GB/s
const results = { date: new Date().toISOString(), dist, workerEnv: WORKER_ENV, dataPlane: DATA_PLANE ?? 'default', algorithm: ALGORITHM ?? 'default', sizes: SIZES, reps: REPS, latencyIterations: LAT_ITERS, latencyWarmup: LAT_WARMUP, runs: [] };
let glooMissing;
for (const N of WORLDS) {
  const loadBefore = loadavg()[0];
  const run = { N, tcp: await ours(N, 'tcp'), ipc: await ours(N, 'ipc') };
  run.gloo = NO_GLOO ? { error: 'skipped (BENCH_NO_GLOO=1)' } : await gloo(N, await findFreePort());
  run.load = [loadBefore, loadavg()[0]];
  if (run.gloo.error) glooMissing = run.gloo.error;
  results.runs.push(run);
  console.error(`N=${N} done (1-min load ${run.load.map((x) => x.toFixed(1)).join(' -> ')})`);
}

const f = (x, d = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const rows = [['N', 'floats', 'tcp GB/s', 'ipc GB/s', 'Gloo GB/s', 'tcp/Gloo', 'ipc/Gloo', 'tcp ms', 'ipc ms', 'Gloo ms']];
for (const r of results.runs) {
  for (const n of SIZES) {
    const t = r.tcp.sizes[n], i = r.ipc.sizes[n], g = r.gloo.sizes?.[String(n)];
    const [bt, bi, bg] = [t, i, g].map((s) => (s ? busBw(n, r.N, s) : undefined));
    rows.push([r.N, `${n / 1e6}M`, f(bt), f(bi), f(bg), bg ? f(bt / bg) : '-', bg ? f(bi / bg) : '-', f(t * 1e3, 1), f(i * 1e3, 1), g ? f(g * 1e3, 1) : '-']);
  }
}
const lat = [['N', '1 KB tcp ms', '1 KB ipc ms', 'Gloo ms', 'Gloo/tcp', 'Gloo/ipc', 'tcp cpu us', 'ipc cpu us', 'Gloo cpu us']];
const us = (x) => (x === undefined ? '-' : f(x * 1e6, 0));
for (const r of results.runs) {
  const g = r.gloo.latency;
  lat.push([r.N, f(r.tcp.latency * 1e3, 3), f(r.ipc.latency * 1e3, 3), g ? f(g * 1e3, 3) : '-', g ? f(g / r.tcp.latency) : '-', g ? f(g / r.ipc.latency) : '-', us(r.tcp.latencyCpu), us(r.ipc.latencyCpu), us(r.gloo.latencyCpu)]);
}
const table = (rs) => {
  const w = rs[0].map((_, c) => Math.max(...rs.map((r) => String(r[c]).length)));
  return rs.map((r, k) => `| ${r.map((x, c) => String(x).padStart(w[c])).join(' | ')} |${k === 0 ? `\n|${w.map((x) => '-'.repeat(x + 2)).join('|')}|` : ''}`).join('\n');
};
console.log(`\nAll-reduce (sum, float32), bus bandwidth = 2(N-1)/N x bytes / time, median of ${REPS}; data plane ${results.dataPlane}; algorithm ${results.algorithm}; 1-min load per N: ${results.runs.map((r) => `N=${r.N} ${r.load.map((x) => x.toFixed(1)).join('->')}`).join(', ')} on ${(await import('node:os')).cpus().length} cores`);
console.log(table(rows));
console.log(`\n1 KB all-reduce latency, mean of ${LAT_ITERS} after ${LAT_WARMUP} warm-up calls (both); cpu = CPU time per call of rank 0's process, all threads`);
console.log(table(lat));
if (glooMissing) console.log(`\nPeer missing: PyTorch Gloo did not run (${glooMissing}); our figures only.`);
await mkdir(join(root, 'reports/bench'), { recursive: true });
await writeFile(join(root, 'reports/bench/allreduce.json'), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(root, 'reports/bench/allreduce.svg'), chart(results));
console.log('\nwrote reports/bench/allreduce.json and reports/bench/allreduce.svg');

/** Bus bandwidth bars, one panel per N: ours over tcp and ipc beside Gloo for every size, ratios on ours. */
function chart(res) {
  const runs = res.runs;
  const sizes = res.sizes;
  const W = 960, H = 420, T = 70, B = 70, L = 56, gap = 28;
  const panelW = (W - L - 20 - gap * (runs.length - 1)) / Math.max(1, runs.length);
  const bw = (n, N, s) => (s ? ((2 * (N - 1)) / N) * n * 4 / s / 1e9 : undefined);
  const cells = runs.flatMap((r) => sizes.flatMap((n) => [bw(n, r.N, r.tcp.sizes[n]), bw(n, r.N, r.ipc.sizes[n]), bw(n, r.N, r.gloo.sizes?.[String(n)])]));
  const top = Math.max(0.5, ...cells.filter((v) => v !== undefined)) * 1.15;
  const y = (v) => T + (H - T - B) * (1 - v / top);
  const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const series = [['tcp', 'ours, tcp', '#1a73e8'], ['ipc', 'ours, ipc (unix socket)', '#34a853'], ['gloo', 'PyTorch Gloo (tcp)', '#d93025']];
  const p = [];
  p.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  p.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  p.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">All-reduce bus bandwidth (sum, float32), Omnitrain vs PyTorch Gloo, same run</text>`);
  p.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${esc(String(res.date).slice(0, 16))} UTC; median of ${res.reps}; ratio = ours / Gloo (green: >= 1.2x, the goal; amber: >= 1x); 2(N-1)/N x bytes / time</text>`);
  for (let v = 0; v <= top; v += top > 2.5 ? 1 : 0.5) {
    p.push(`<line x1="${L}" x2="${W - 20}" y1="${y(v)}" y2="${y(v)}" stroke="#e0e0e0"/>`);
    p.push(`<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  }
  p.push(`<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle" fill="#555">GB/s</text>`);
  runs.forEach((r, k) => {
    const x0 = L + k * (panelW + gap);
    p.push(`<text x="${x0 + panelW / 2}" y="${T - 10}" text-anchor="middle" font-weight="bold">N = ${r.N}</text>`);
    const gw = panelW / sizes.length;
    const barW = Math.min(26, (gw - 12) / series.length);
    sizes.forEach((n, j) => {
      const g = bw(n, r.N, r.gloo.sizes?.[String(n)]);
      const gx = x0 + j * gw + (gw - barW * series.length) / 2;
      series.forEach(([key, label, color], si) => {
        const v = key === 'gloo' ? g : bw(n, r.N, r[key].sizes[n]);
        if (v === undefined) return;
        const bx = gx + si * barW;
        p.push(`<rect x="${bx.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barW - 2}" height="${(y(0) - y(v)).toFixed(1)}" fill="${color}"><title>${esc(`N=${r.N}, ${n / 1e6}M floats, ${label}: ${v.toFixed(2)} GB/s`)}</title></rect>`);
        if (key !== 'gloo' && g) p.push(`<text x="${(bx + (barW - 2) / 2).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="${v / g >= 1.2 ? '#188038' : v / g >= 1 ? '#b06000' : '#b3261e'}">${(v / g).toFixed(2)}x</text>`);
      });
      p.push(`<text x="${(x0 + j * gw + gw / 2).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`}</text>`);
    });
  });
  series.forEach(([, label, color], i) => p.push(`<rect x="${L + i * 220}" y="${H - 30}" width="12" height="12" fill="${color}"/><text x="${L + i * 220 + 16}" y="${H - 20}">${esc(label)}</text>`));
  p.push('</svg>');
  return `${p.join('\n')}\n`;
}
