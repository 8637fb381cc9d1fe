#!/usr/bin/env node
// Training throughput of the six reference models of /work/shared/BENCHMARKS.md (samples/s, Adam 1e-3,
// softmax cross-entropy, one pinned core) on:
//   cpu           the tfjs cpu backend (pure JS)
//   wasm          the tfjs wasm backend as shipped; kernels it lacks run on the cpu backend (copied
//                 out of and back into wasm memory), which is what a user gets without Omnitrain
//   wasm+kernels  the wasm backend + @omnitrain/wasm-kernels (the gru model's recurrence through its fused
//                 GRU op, as PyTorch runs nn.GRU's own; the other backends run it step by step)
//   torch         PyTorch 1.13 + OpenBLAS, 1 thread (tools/bench/train-torch.py, /usr/bin/python3)
// and two wasm+kernels worker processes pinned to the two cores: each one's share of its solo speed.
// Prints a table with the ratio to PyTorch, writes reports/bench/train.json and reports/bench/train.svg.
//
// Runs on the built dist: npx tsc -p libs/core/tsconfig.lib.json && npx tsc -p libs/optim/tsconfig.lib.json && npx tsc -p libs/wasm-kernels/tsconfig.lib.json
// Usage: node tools/bench/train.mjs [--models mlp,cnn,...] [--backends cpu,wasm,wasm+kernels,torch]
//          [--seconds 5] [--warmup 2] [--repeat 3] [--cap 5] [--core 0] [--pair mlp,cnn|all|none] [--out reports/bench]
//        node tools/bench/train.mjs --profile --model audio2d [--backend wasm+kernels] [--seconds 5]
//   --cap: a backend whose first training step takes longer than this many seconds is skipped
//          (the cpu backend and shipped wasm take 10-80 s per step on the conv models).
//   --profile: per-kernel milliseconds per step (timing wrappers around every kernel of the backend).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { git } from './git-state.mjs';
import { TORCH_ENV, torchStatus } from './torch-peer.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const ALL_MODELS = ['mlp', 'cnn', 'transformer', 'gru', 'audio2d', 'audio1d'];
const ALL_BACKENDS = ['cpu', 'wasm', 'wasm+kernels', 'torch'];
const BACKEND_LABEL = { cpu: 'tfjs cpu', wasm: 'tfjs wasm (shipped)', 'wasm+kernels': 'wasm + Omnitrain kernels', torch: 'PyTorch 1.13' };
const SLOW = new Set(['cpu', 'wasm']);

const { values: opt } = parseArgs({
  options: {
    models: { type: 'string', default: ALL_MODELS.join(',') },
    model: { type: 'string' },
    backends: { type: 'string', default: ALL_BACKENDS.join(',') },
    backend: { type: 'string', default: 'wasm+kernels' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    repeat: { type: 'string', default: '3' },
    cap: { type: 'string', default: '5' },
    core: { type: 'string', default: '0' },
    pair: { type: 'string', default: 'all' },
    out: { type: 'string', default: 'reports/bench' },
    child: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    shapes: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(readUsage());
  process.exit(0);
}
const num = (name) => {
  const v = Number(opt[name]);
  if (!Number.isFinite(v) || v < 0) fail(`--${name} must be a number >= 0, got "${opt[name]}"`);
  return v;
};
const list = (raw, allowed, flag) => {
  const items = raw === 'all' ? allowed : raw === 'none' ? [] : raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const it of items) if (!allowed.includes(it)) fail(`--${flag}: unknown "${it}" (one of ${allowed.join(', ')})`);
  return items;
};

if (opt.child || opt.profile) await child();
else await parent();

// ---------------------------------------------------------------- one model on one backend (pinned by the parent)
async function child() {
  const model = opt.model;
  if (!ALL_MODELS.includes(model)) fail(`--model: unknown "${model}" (one of ${ALL_MODELS.join(', ')})`);
  const backend = opt.backend;
  if (!['cpu', 'wasm', 'wasm+kernels'].includes(backend)) fail(`--backend: "${backend}" is not a tfjs backend`);
  const tf = await import('@tensorflow/tfjs');
  const { initBackend } = await import('@omnitrain/core');
  const { registerWasmTrainingKernels, TRAINING_KERNELS, fusedGruSequence, fusedGelu, fusedLayerNorm } = await import('@omnitrain/wasm-kernels');
  const { adam: optimAdam } = await import('@omnitrain/optim');
  await initBackend({ backend: backend === 'cpu' ? 'cpu' : 'wasm' });
  const used = new Set(); // the kernels this model ran on the cpu backend (shipped wasm lacks them)
  if (backend === 'wasm+kernels') registerWasmTrainingKernels();
  if (backend === 'wasm') registerCpuFallbacks(tf, [...TRAINING_KERNELS, 'Einsum'], used);
  const timers = opt.profile ? wrapKernels(tf, tf.getBackend()) : null;

  const spec = (await import('./train-models.mjs')).MODELS[model];
  // wasm + kernels also gets Omnitrain's fused ops (the GRU's recurrence in one kernel per pass, GELU and
  // layer norm in one kernel each way), as PyTorch runs nn.GRU, F.gelu and nn.LayerNorm as its own.
  const before = new Set(Object.keys(tf.engine().registeredVariables));
  const forward = spec.build(tf, backend === 'wasm+kernels' ? { fusedGruSequence, fusedGelu, fusedLayerNorm } : {});
  const x = spec.input(tf, spec.batch);
  const labels = tf.oneHot(tf.randomUniform([spec.batch], 0, 10, 'int32'), 10);
  // Adam 1e-3 as torch.optim.Adam: @omnitrain/optim's (one fused kernel per parameter on wasm + kernels).
  const params = Object.fromEntries(Object.entries(tf.engine().registeredVariables).filter(([name]) => !before.has(name))); // this model's
  const adam = optimAdam(params, { lr: 1e-3 });
  const lossFn = () => tf.losses.softmaxCrossEntropy(labels, forward(x));
  const step = () => {
    const { value: loss, grads } = tf.variableGrads(lossFn, Object.values(params));
    adam.applyGradients(grads);
    tf.dispose(Object.values(grads));
    const v = loss.dataSync()[0];
    loss.dispose();
    if (!Number.isFinite(v)) throw new Error(`${model} on ${backend}: loss ${v}`);
  };
  const cap = num('cap');
  const slow = SLOW.has(backend);
  const t0 = performance.now();
  step();
  const first = (performance.now() - t0) / 1000;
  process.stdout.write(`warm ${first}\n`); // tells the parent the first step is done
  const fallback = [...used];
  if (slow && first > cap) {
    emit({ skipped: `first step took ${first.toFixed(1)} s (> --cap ${cap} s)`, firstStepS: first, fallback });
    return;
  }
  const warm = num('warmup');
  const tw = performance.now();
  while (!slow && (performance.now() - tw) / 1000 < warm) step();
  timers?.clear();
  const seconds = num('seconds');
  let steps = 0;
  const tm = performance.now();
  const c0 = process.cpuUsage();
  do {
    step();
    steps++;
  } while ((performance.now() - tm) / 1000 < seconds);
  const elapsed = (performance.now() - tm) / 1000;
  const used_ = process.cpuUsage(c0);
  const cpuSeconds = (used_.user + used_.system) / 1e6; // this process's CPU time: robust to other load on the core
  const result = { samplesPerSec: (steps * spec.batch) / elapsed, cpuSamplesPerSec: (steps * spec.batch) / cpuSeconds, steps, seconds: elapsed, cpuSeconds, stepMs: (elapsed * 1000) / steps, firstStepS: first, fallback };
  if (timers) {
    const stepMs = result.stepMs;
    const rows = [...timers.entries()].map(([k, v]) => ({ kernel: k, msPerStep: v.ms / steps, callsPerStep: v.calls / steps })).sort((a, b) => b.msPerStep - a.msPerStep);
    const inKernels = rows.reduce((s, r) => s + r.msPerStep, 0);
    result.profile = { stepMs, inKernelsMs: inKernels, outsideKernelsMs: stepMs - inKernels, kernels: rows };
    if (opt.profile && !opt.child) {
      console.log(`${model} on ${backend}: ${stepMs.toFixed(1)} ms/step, ${result.samplesPerSec.toFixed(0)} samples/s; in kernels ${inKernels.toFixed(1)} ms, outside (tape, dispatch, JS) ${(stepMs - inKernels).toFixed(1)} ms`);
      for (const r of rows) console.log(`  ${r.kernel.padEnd(36)} ${r.msPerStep.toFixed(2).padStart(8)} ms ${r.callsPerStep.toFixed(0).padStart(5)} calls`);
      if (opt.shapes) {
        console.log('by shapes:');
        for (const [k, v] of timers.details().sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(`  ${(v.ms / steps).toFixed(2).padStart(8)} ms ${(v.calls / steps).toFixed(0).padStart(4)}x  ${k}`);
      }
      return;
    }
  }
  emit(result);
}

function emit(obj) {
  process.stdout.write(`RESULT ${JSON.stringify(obj)}\n`);
}

/**
 * Shipped wasm lacks some training kernels: run each on the cpu backend, copying inputs out of the
 * wasm heap and outputs back in (what tfjs users do by hand or get from a mixed-backend setup).
 */
function registerCpuFallbacks(tf, names, used) {
  const missing = [...new Set(names)].filter((k) => tf.getKernel(k, 'wasm') === undefined && tf.getKernel(k, 'cpu') !== undefined);
  const cpu = tf.findBackend('cpu');
  for (const name of missing) {
    const cpuKernel = tf.getKernel(name, 'cpu');
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: ({ inputs, attrs, backend }) => {
        used.add(name);
        const cin = {};
        for (const [k, t] of Object.entries(inputs)) cin[k] = { dataId: cpu.write(backend.readSync(t.dataId), t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
        const out = cpuKernel.kernelFunc({ inputs: cin, attrs, backend: cpu });
        const back = (o) => {
          const dataId = backend.write(cpu.readSync(o.dataId), o.shape, o.dtype);
          cpu.disposeData(o.dataId);
          return { dataId, shape: o.shape, dtype: o.dtype };
        };
        for (const t of Object.values(cin)) cpu.disposeData(t.dataId);
        return Array.isArray(out) ? out.map(back) : back(out);
      },
    });
  }
}

/** Replaces every kernel of `backendName` by a timing wrapper; returns name -> {ms, calls} (clear() resets). */
function wrapKernels(tf, backendName) {
  const timers = new Map();
  for (const config of tf.getKernelsForBackend(backendName)) {
    const inner = config.kernelFunc;
    const t = { ms: 0, calls: 0 };
    timers.set(config.kernelName, t);
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      setupFunc: undefined,
      kernelFunc: (args) => {
        const t0 = performance.now();
        const out = inner(args);
        const dt = performance.now() - t0;
        t.ms += dt;
        t.calls++;
        if (opt.shapes) {
          // --shapes: also time each kernel per input shapes and attributes.
          const key = `${config.kernelName} ${Object.values(args.inputs).map((i) => `[${i?.shape}]`).join('x')} ${JSON.stringify(args.attrs ?? {})}`.slice(0, 160);
          const s = timers.get(key) ?? { ms: 0, calls: 0, detail: true };
          s.ms += dt;
          s.calls++;
          timers.set(key, s);
        }
        return out;
      },
    });
  }
  return {
    entries: () => [...timers.entries()].filter(([, v]) => v.calls > 0 && !v.detail),
    details: () => [...timers.entries()].filter(([, v]) => v.calls > 0 && v.detail),
    clear: () => {
      for (const [k, v] of timers) if (v.detail) timers.delete(k);
      timers.forEach((v) => ((v.ms = 0), (v.calls = 0)));
    },
  };
}

// ---------------------------------------------------------------- the table
async function parent() {
  const models = list(opt.models, ALL_MODELS, 'models');
  const backends = list(opt.backends, ALL_BACKENDS, 'backends');
  const pairModels = list(opt.pair, ALL_MODELS, 'pair').filter((m) => models.includes(m));
  const repeat = Math.max(1, Math.round(num('repeat')));
  const core = Math.round(num('core'));
  const ncpu = cpus().length;
  const torch = backends.includes('torch') ? torchStatus() : { ok: false, why: 'not asked for' };
  if (backends.includes('torch') && !torch.ok) console.log(`PyTorch peer missing: ${torch.why}; printing the rest.`);
  const meta = {
    date: new Date().toISOString(),
    commit: git(['rev-parse', 'HEAD']),
    dirty: git(['status', '--porcelain', '--', 'libs/wasm-kernels', 'tools/bench']) !== '',
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: ncpu,
    pinnedCore: core,
    seconds: num('seconds'),
    warmup: num('warmup'),
    repeat,
    capSeconds: num('cap'),
    loadBefore: loadavg(),
    torch: torch.ok ? torch.version : null,
  };
  console.log(`training benchmark: ${models.join(', ')} on ${backends.join(', ')}; ${meta.seconds} s after ${meta.warmup} s warm-up, median of ${repeat}, pinned to core ${core} (load ${meta.loadBefore.map((l) => l.toFixed(2)).join(' ')})`);
  const results = {};
  // Rounds interleave the backends (A B, then B A, ...) so that a drift of the host's speed over minutes,
  // which this VM shows for every process alike, falls on both sides of a ratio; the ratio to PyTorch is
  // the median of the per-round ratios (each round's two figures measured seconds apart).
  for (const model of models) {
    const runs = Object.fromEntries(backends.map((b) => [b, []]));
    const done = new Set();
    for (let r = 0; r < repeat; r++) {
      const order = r % 2 ? [...backends].reverse() : backends;
      for (const backend of order) {
        if (done.has(backend)) continue;
        if (backend === 'torch' && !torch.ok) {
          done.add(backend);
          continue;
        }
        const res = await measure(model, backend, core);
        runs[backend].push({ ...res, round: r });
        // The slow backends run once: their figures are 100-1000x off, a median adds nothing but minutes.
        if (res.skipped || res.error || SLOW.has(backend)) done.add(backend);
      }
    }
    results[model] = {};
    for (const backend of backends) {
      if (backend === 'torch' && !torch.ok) {
        results[model][backend] = { skipped: `PyTorch missing: ${torch.why}` };
        continue;
      }
      const mine = runs[backend];
      const ok = mine.filter((r) => r.samplesPerSec !== undefined).map((r) => r.samplesPerSec);
      const okCpu = mine.filter((r) => r.cpuSamplesPerSec !== undefined).map((r) => r.cpuSamplesPerSec);
      const last = mine[mine.length - 1];
      results[model][backend] = ok.length
        ? { samplesPerSec: median(ok), runs: ok, cpuSamplesPerSec: okCpu.length ? median(okCpu) : undefined, cpuRuns: okCpu, fallback: last.fallback?.length ? last.fallback : undefined }
        : { skipped: last.skipped ?? last.error, fallback: last.fallback?.length ? last.fallback : undefined };
      if (backend !== 'torch' && ok.length) {
        const paired = mine
          .map((m) => [m, runs.torch?.find((t) => t.round === m.round && t.samplesPerSec !== undefined)])
          .filter(([m, t]) => m.samplesPerSec !== undefined && t)
          .map(([m, t]) => m.samplesPerSec / t.samplesPerSec);
        if (paired.length) Object.assign(results[model][backend], { ratioToTorch: median(paired), roundRatios: paired });
      }
      const cell = results[model][backend];
      console.log(`  ${model.padEnd(12)} ${BACKEND_LABEL[backend].padEnd(26)} ${cell.samplesPerSec !== undefined ? `${fmt(cell.samplesPerSec)} samples/s${ok.length > 1 ? ` (runs ${ok.map(fmt).join(', ')})` : ''}${cell.cpuSamplesPerSec !== undefined ? `; per CPU-second ${fmt(cell.cpuSamplesPerSec)}` : ''}${cell.roundRatios ? `; / torch per round ${cell.roundRatios.map(ratio).join(', ')}` : ''}` : `skipped: ${cell.skipped}`}${cell.fallback ? ` [on cpu: ${cell.fallback.join(', ')}]` : ''}`);
    }
  }
  // Two worker processes, one per core: each one's share of its solo speed on its own core.
  const pairs = {};
  if (ncpu < 2 && pairModels.length) console.log('two-process share: needs 2 cores, this machine has 1; skipped');
  for (const model of ncpu >= 2 ? pairModels : []) {
    const solo = [await measure(model, 'wasm+kernels', 0), await measure(model, 'wasm+kernels', 1)];
    const both = await Promise.all([measure(model, 'wasm+kernels', 0), measure(model, 'wasm+kernels', 1)]);
    const share = both.map((b, i) => b.samplesPerSec / solo[i].samplesPerSec);
    // Per CPU-second too: what the two processes cost each other (caches, memory bandwidth), apart from
    // the scheduler's share of each core when other work runs on the machine.
    const cpuShare = both.map((b, i) => b.cpuSamplesPerSec / solo[i].cpuSamplesPerSec);
    pairs[model] = { solo: solo.map((s) => s.samplesPerSec), together: both.map((b) => b.samplesPerSec), share, cpuShare, loadAfter: loadavg() };
    console.log(`  two processes ${model.padEnd(12)} core 0 ${(share[0] * 100).toFixed(0)}% and core 1 ${(share[1] * 100).toFixed(0)}% of solo (${fmt(both[0].samplesPerSec)} + ${fmt(both[1].samplesPerSec)} samples/s together); per CPU-second ${(cpuShare[0] * 100).toFixed(0)}% and ${(cpuShare[1] * 100).toFixed(0)}% (load ${loadavg()[0].toFixed(1)})`);
  }
  meta.loadAfter = loadavg();
  printTable(models, backends, results, pairs);
  const out = resolve(ROOT, opt.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'train.json'), `${JSON.stringify({ meta, backends: backends.map((b) => ({ id: b, label: BACKEND_LABEL[b] })), results, twoProcesses: pairs }, null, 2)}\n`);
  writeFileSync(join(out, 'train.svg'), chart(models, backends, results, meta));
  console.log(`wrote ${join(opt.out, 'train.json')} and ${join(opt.out, 'train.svg')}`);
}

/** Runs one child (node or python) pinned to `core`; resolves with its RESULT object or {error}/{skipped}. */
function measure(model, backend, core) {
  const seconds = num('seconds');
  const cap = num('cap');
  const isTorch = backend === 'torch';
  const cmd = isTorch
    ? ['/usr/bin/python3', join(HERE, 'train-torch.py'), '--model', model, '--seconds', String(seconds), '--warmup', String(num('warmup'))]
    : [process.execPath, fileURLToPath(import.meta.url), '--child', '--model', model, '--backend', backend, '--seconds', String(seconds), '--warmup', String(num('warmup')), '--cap', String(cap)];
  const env = isTorch
    ? { ...process.env, ...TORCH_ENV }
    : process.env;
  return new Promise((done) => {
    const proc = spawn('taskset', ['-c', String(core), ...cmd], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Deadline: start-up + the first step within the cap (slow backends), then the measured time.
    const firstDeadline = (SLOW.has(backend) ? cap : 60) + 12;
    let timer = setTimeout(() => kill(`no training step finished within ${firstDeadline} s (start-up included)`), firstDeadline * 1000);
    let killedWhy = null;
    const kill = (why) => {
      killedWhy = why;
      proc.kill('SIGKILL');
    };
    proc.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('warm ') && timer) {
        clearTimeout(timer);
        timer = setTimeout(() => kill(`measurement overran ${seconds} s by more than 120 s`), (seconds + num('warmup') + 120) * 1000);
      }
    });
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) return done(JSON.parse(line.slice(7)));
      if (killedWhy) return done({ skipped: SLOW.has(backend) ? `first step > ${cap} s (killed)` : killedWhy });
      done({ error: `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` });
    });
  });
}

function printTable(models, backends, results, pairs) {
  const hasTorch = backends.includes('torch');
  // The same ratio on CPU time (each process's own user + system seconds): robust to other work sharing the core.
  const hasCpuRatio = hasTorch && backends.includes('wasm+kernels');
  const head = ['model', ...backends.map((b) => BACKEND_LABEL[b]), ...(hasTorch ? backends.filter((b) => b !== 'torch').map((b) => `${b} / torch`) : []), ...(hasCpuRatio ? ['wasm+kernels / torch per CPU-s'] : []), 'two processes: share of solo'];
  const rows = models.map((m) => {
    const r = results[m];
    const t = r.torch?.samplesPerSec;
    return [
      m,
      ...backends.map((b) => (r[b].samplesPerSec !== undefined ? fmt(r[b].samplesPerSec) + (r[b].fallback ? '*' : '') : 'skipped')),
      ...(hasTorch ? backends.filter((b) => b !== 'torch').map((b) => (r[b].ratioToTorch !== undefined ? ratio(r[b].ratioToTorch) : t && r[b].samplesPerSec !== undefined ? ratio(r[b].samplesPerSec / t) : '-')) : []),
      ...(hasCpuRatio ? [r.torch?.cpuSamplesPerSec && r['wasm+kernels']?.cpuSamplesPerSec ? ratio(r['wasm+kernels'].cpuSamplesPerSec / r.torch.cpuSamplesPerSec) : '-'] : []),
      pairs[m] ? pairs[m].share.map((s) => `${(s * 100).toFixed(0)}%`).join(' / ') : '-',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(`\nsamples/s (median of the rounds), one pinned core${hasTorch ? '; ratio = median over rounds of samples/s over PyTorch in the same round' : ''}`);
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  const skipped = models.flatMap((m) => backends.filter((b) => results[m][b].skipped).map((b) => `${m} on ${b}: ${results[m][b].skipped}`));
  const fell = models.flatMap((m) => backends.filter((b) => results[m][b].fallback).map((b) => `${m} on ${b}: ${results[m][b].fallback.join(', ')}`));
  if (fell.length) console.log(`* kernels the shipped wasm backend lacks, run on the cpu backend: ${fell.join('; ')}`);
  if (skipped.length) console.log(`skipped: ${skipped.join('; ')}`);
}

/** A grouped bar chart (log scale), one group per model, one bar per backend. */
function chart(models, backends, results, meta) {
  const colors = { cpu: '#9aa0a6', wasm: '#f4b400', 'wasm+kernels': '#1a73e8', torch: '#d93025' };
  const W = 900, H = 440, L = 70, R = 20, T = 50, B = 90;
  const vals = models.flatMap((m) => backends.map((b) => results[m][b].samplesPerSec).filter((v) => v > 0));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(1, ...vals))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(10, ...vals))));
  const y = (v) => T + (H - T - B) * (1 - (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)));
  const gw = (W - L - R) / models.length;
  const bw = Math.min(36, (gw - 20) / backends.length);
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">Training throughput, samples/s (log scale), one core</text>`);
  parts.push(`<text x="${W / 2}" y="38" text-anchor="middle" fill="#555">${esc(meta.date.slice(0, 16))} UTC, commit ${esc(meta.commit.slice(0, 10))}${meta.dirty ? '+' : ''}, ${esc(meta.cpu)}</text>`);
  for (let e = Math.log10(lo); e <= Math.log10(hi); e++) {
    const v = Math.pow(10, e);
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e0e0e0"/>`);
    parts.push(`<text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`);
  }
  models.forEach((m, gi) => {
    const x0 = L + gi * gw + (gw - bw * backends.length) / 2;
    backends.forEach((b, bi) => {
      const v = results[m][b].samplesPerSec;
      const x = x0 + bi * bw;
      if (v > 0) {
        parts.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bw - 3).toFixed(1)}" height="${(H - B - y(v)).toFixed(1)}" fill="${colors[b]}"><title>${esc(`${m} ${BACKEND_LABEL[b]}: ${fmt(v)} samples/s`)}</title></rect>`);
        parts.push(`<text x="${(x + (bw - 3) / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle" font-size="9">${fmt(v)}</text>`);
      } else {
        parts.push(`<text x="${(x + (bw - 3) / 2).toFixed(1)}" y="${H - B - 4}" text-anchor="middle" font-size="9" fill="#888">skip</text>`);
      }
    });
    const t = results[m].torch?.samplesPerSec;
    const ours = results[m]['wasm+kernels']?.samplesPerSec;
    parts.push(`<text x="${(L + gi * gw + gw / 2).toFixed(1)}" y="${H - B + 16}" text-anchor="middle" font-size="13">${esc(m)}</text>`);
    if (t && ours) parts.push(`<text x="${(L + gi * gw + gw / 2).toFixed(1)}" y="${H - B + 31}" text-anchor="middle" fill="${colors['wasm+kernels']}">${ratio(results[m]['wasm+kernels'].ratioToTorch ?? ours / t)} PyTorch</text>`);
  });
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>`);
  backends.forEach((b, i) => {
    const x = L + i * 200;
    parts.push(`<rect x="${x}" y="${H - 30}" width="12" height="12" fill="${colors[b]}"/><text x="${x + 16}" y="${H - 20}">${esc(BACKEND_LABEL[b])}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function fmt(v) {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toPrecision(2);
}
function ratio(r) {
  return r >= 0.1 ? `${r.toFixed(2)}x` : `${r.toPrecision(2)}x`;
}
function fail(msg) {
  console.error(`bench:train: ${msg}\n${readUsage()}`);
  process.exit(2);
}
function readUsage() {
  return 'usage: node tools/bench/train.mjs [--models mlp,cnn,transformer,gru,audio2d,audio1d] [--backends cpu,wasm,wasm+kernels,torch] [--seconds 5] [--warmup 2] [--repeat 3] [--cap 5] [--core 0] [--pair all|none|mlp,...] [--out reports/bench]\n       node tools/bench/train.mjs --profile --model audio2d [--backend wasm+kernels]';
}
