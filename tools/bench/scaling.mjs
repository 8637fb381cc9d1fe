#!/usr/bin/env node
// Data-parallel scaling of the six reference models of /work/shared/BENCHMARKS.md (tools/bench/train-models.mjs)
// on the wasm backend with the Omnitrain kernels, trained by the real Trainer:
//   1 worker   launchLocal nproc 1, pinned to core 0, the single-process strategy
//   2 workers  launchLocal nproc 2 (real processes, ZeroMQ ring all-reduce), rank r pinned to core r,
//              dataParallelStrategy, each rank with the same per-worker batch as the 1-worker run
//              (weak scaling: the global batch doubles)
//   strong     (--strong) 2 workers with half the per-worker batch (the same global batch as 1 worker)
// Throughput = samples over all ranks / wall seconds of the measured steps (after warm-up); efficiency =
// s2 / (2 s1). Runs alternate 1 worker, 2 workers, --repeat times (default 2), keeping the best of each.
// Every worker is its own session (setsid), so its own scheduler autogroup: with the kernel's autogroups on,
// 2 workers of one session would share one CPU share against other users' load while 1 worker has it alone
// (under Slurm or Kubernetes each worker is its own cgroup too). Load-robust companions: efficiency per
// CPU-second, and per median step (each step timed by its slowest rank; preempted steps drop out). Each step's split (data wait, compute, all-reduce, optimizer) is the Trainer's own
// StepTimings (the `step-time` telemetry event), averaged over the measured steps and ranks; the
// all-reduce floor is the mean over steps of the smallest rank's all-reduce time (the fastest rank waits
// for the slowest inside the all-reduce, so the floor is about the transfer alone).
// Two companions in the same alternation: `no sync`, 2 workers training independently (the single-process
// strategy each, pinned like the 2-worker run): what 2 processes on this host reach with no communication
// at all, the ceiling any data-parallel run here has; and the peer (--peer torch, the default when
// /usr/bin/python3 has torch), PyTorch DistributedDataParallel over Gloo on the same models, 1 and 2
// processes pinned the same way (tools/bench/scaling-ddp.py), whose efficiency ours is printed against.
// Prints a table, writes reports/bench/scaling.json and reports/bench/scaling.svg.
//
// Runs on the built dist: npx tsc -p libs/<core,data,optim,telemetry,engine,distributed,wasm-kernels>/tsconfig.lib.json
// Usage: node tools/bench/scaling.mjs [--models mlp,cnn,...|tiny] [--seconds 5] [--warmup 2] [--repeat 2]
//          [--strong] [--fp16] [--bucket-mb 16] [--segment-mb 1] [--malloc tuned|default] [--out reports/bench]
//          [--shard-optimizer default|on|off|both] [--peer torch|none]
//   --fp16, --segment-mb: ZmqCollective's float16 wire and bytes per ring message; --bucket-mb: the strategy's buckets;
//   --shard-optimizer: the strategy's ZeRO-1 sharded update (default: the strategy's default); `both` also runs the
//   other setting in the same alternation and prints its efficiency beside (a same-run comparison under load).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MODELS } from './train-models.mjs';
import { git } from './git-state.mjs';
import { TORCH_ENV, torchStatus } from './torch-peer.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const REFERENCE = ['mlp', 'cnn', 'transformer', 'gru', 'audio2d', 'audio1d'];
const ALL_MODELS = [...REFERENCE, 'tiny'];
const PARTS = ['dataMs', 'computeMs', 'allReduceMs', 'optimizerMs'];
// glibc serves every multi-MiB allocation (ZeroMQ messages, tensor reads) with a fresh mmap, page faults
// on every byte, unless its mmap threshold is above it: the recommended worker setting (PROTOCOL.md
// step 2, tools/bench/allreduce.mjs). --malloc default measures without it.
const MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=268435456';

const { values: opt } = parseArgs({
  options: {
    models: { type: 'string', default: REFERENCE.join(',') },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    repeat: { type: 'string', default: '2' },
    strong: { type: 'boolean', default: false },
    fp16: { type: 'boolean', default: false },
    'bucket-mb': { type: 'string', default: '16' },
    'shard-optimizer': { type: 'string', default: 'default' },
    malloc: { type: 'string', default: 'tuned' },
    'segment-mb': { type: 'string' },
    peer: { type: 'string', default: 'torch' },
    out: { type: 'string', default: 'reports/bench' },
    // worker mode (started by the parent through launchLocal)
    worker: { type: 'boolean', default: false },
    model: { type: 'string' },
    batch: { type: 'string' },
    'warmup-steps': { type: 'string' },
    steps: { type: 'string' },
    'result-dir': { type: 'string' },
    independent: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(usage());
  process.exit(0);
}

if (opt.worker) await worker();
else await parent();

// ---------------------------------------------------------------- one rank of one run
async function worker() {
  const tf = await import('@tensorflow/tfjs');
  const { initBackend } = await import('@omnitrain/core');
  const kernels = await import('@omnitrain/wasm-kernels');
  const { Trainer } = await import('@omnitrain/engine');
  const { createOptimizer } = await import('@omnitrain/optim');
  await initBackend({ backend: 'wasm' });
  kernels.registerWasmTrainingKernels();
  // --independent: launched as one of 2 ranks but trains alone (the no-sync ceiling run).
  const worldSize = opt.independent ? 1 : Number(process.env.WORLD_SIZE ?? '1');
  const rank = Number(process.env.RANK ?? '0');
  const spec = modelSpec(opt.model);
  const batch = int('batch');
  const [warmupSteps, steps] = [int('warmup-steps'), int('steps')];

  // The model: train-models.mjs builds plain tf.variables; name them p000, p001, ... in creation order
  // (the same on every rank; the strategy copies rank 0's values at setup).
  const before = new Set(Object.keys(tf.engine().registeredVariables));
  // Omnitrain's fused ops where the kernels lib has them (bench:train's wasm + kernels models, e.g. the GRU's).
  const forward = spec.build(tf, kernels.fusedGruSequence ? { fusedGruSequence: kernels.fusedGruSequence } : {});
  const created = Object.values(tf.engine().registeredVariables).filter((v) => !before.has(v.name));
  const variables = Object.fromEntries(created.map((v, i) => [`p${String(i).padStart(3, '0')}`, v]));
  const model = {
    name: opt.model,
    variables,
    numClasses: 10,
    forward: (b) => forward(b.inputs.x),
    getConfig: () => ({ name: opt.model }),
    dispose: () => created.forEach((v) => v.dispose()),
  };
  // Synthetic data made up front: the data wait is the Trainer's wait on a ready source.
  const pool = Array.from({ length: 4 }, () => ({ x: spec.input(tf, batch), y: tf.randomUniform([batch], 0, 10, 'int32') }));
  let position = 0;
  const train = {
    batchesPerEpoch: () => warmupSteps + steps,
    getState: () => ({ epoch: 0, position, seed: 0, size: (warmupSteps + steps) * batch * worldSize }),
    setState: () => {},
    async *epoch() {
      for (let i = 0; i < warmupSteps + steps; i++) {
        const p = pool[i % pool.length];
        position += batch * worldSize;
        yield { inputs: { x: tf.clone(p.x) }, labels: tf.clone(p.y), size: batch, epoch: 0, weight: 1 / worldSize, resumeState: { epoch: 0, position, seed: 0, size: (warmupSteps + steps) * batch * worldSize } };
      }
    },
  };
  let strategy;
  if (worldSize > 1) {
    const { ZmqCollective, dataParallelStrategy } = await import('@omnitrain/distributed');
    const collective = await ZmqCollective.fromEnv(process.env, { fp16: opt.fp16, ...(opt['segment-mb'] ? { segmentBytes: Math.round(Number(opt['segment-mb']) * 2 ** 20) } : {}) });
    const shard = opt['shard-optimizer'] === 'on' ? { shardOptimizer: true } : opt['shard-optimizer'] === 'off' ? { shardOptimizer: false } : {};
    strategy = dataParallelStrategy(collective, { bucketBytes: Math.round(Number(opt['bucket-mb']) * 2 ** 20), ...shard });
  }
  const records = [];
  let mark = null;
  const probe = {
    name: 'scaling-probe',
    onBatchEnd(info) {
      if (info.step + 1 === warmupSteps) mark = { at: performance.now(), cpu: process.cpuUsage() };
      else if (info.step >= warmupSteps) records.push(info.timings);
      if (!Number.isFinite(info.loss)) throw new Error(`${opt.model}: loss ${info.loss} at step ${info.step}`);
    },
  };
  const optimizer = createOptimizer(variables, { name: 'adam', lr: 1e-3 });
  const trainer = new Trainer({ model, optimizer, train, strategy, epochs: 1, evalEvery: 0, maxSteps: warmupSteps + steps, callbacks: [probe] });
  await trainer.fit();
  const windowMs = performance.now() - mark.at;
  const cpu = process.cpuUsage(mark.cpu);
  const params = created.reduce((s, v) => s + v.size, 0);
  writeFileSync(join(opt['result-dir'], `rank-${rank}.json`), JSON.stringify({ rank, worldSize, batch, steps: records.length, windowMs, cpuMs: (cpu.user + cpu.system) / 1000, params, timings: records }));
  tf.dispose(pool.flatMap((p) => [p.x, p.y]));
}

function modelSpec(name) {
  if (name === 'tiny') {
    // A 2-dense-layer model for the smoke test (tools/scaling.test.ts): a step takes a millisecond or so.
    return {
      batch: 16,
      input: (tf, b) => tf.randomNormal([b, 32]),
      build(tf) {
        const w1 = tf.variable(tf.randomNormal([32, 64], 0, 0.2));
        const b1 = tf.variable(tf.zeros([64]));
        const w2 = tf.variable(tf.randomNormal([64, 10], 0, 0.2));
        return (x) => tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2);
      },
    };
  }
  return MODELS[name];
}

// ---------------------------------------------------------------- the table
async function parent() {
  const models = opt.models.split(',').map((s) => s.trim()).filter(Boolean);
  for (const m of models) if (!ALL_MODELS.includes(m)) fail(`--models: unknown "${m}" (one of ${ALL_MODELS.join(', ')})`);
  const seconds = num('seconds');
  const warmup = num('warmup');
  const repeat = Math.max(1, Math.round(num('repeat')));
  num('bucket-mb');
  if (!['default', 'on', 'off', 'both'].includes(opt['shard-optimizer'])) fail(`--shard-optimizer: "${opt['shard-optimizer']}" (one of default, on, off, both)`);
  const { dataParallelOptionsSchema } = await import('@omnitrain/distributed');
  const shardDefault = dataParallelOptionsSchema.parse({}).shardOptimizer;
  // The 2-worker setting measured as "2 workers", and with `both` the other one beside it.
  const shardMain = opt['shard-optimizer'] === 'on' || ((opt['shard-optimizer'] === 'default' || opt['shard-optimizer'] === 'both') && shardDefault);
  const shardOther = opt['shard-optimizer'] === 'both' ? !shardMain : undefined;
  if (!['tuned', 'default'].includes(opt.malloc)) fail(`--malloc: "${opt.malloc}" (one of tuned, default)`);
  if (!['torch', 'none'].includes(opt.peer)) fail(`--peer: "${opt.peer}" (one of torch, none)`);
  const peer = opt.peer === 'torch' ? torchStatus({ gloo: true }) : { ok: false, why: 'not asked for (--peer none)' };
  if (opt.peer === 'torch' && !peer.ok) console.log(`PyTorch peer missing: ${peer.why}; printing the rest.`);
  const ncpu = cpus().length;
  const meta = {
    date: new Date().toISOString(),
    commit: git(['rev-parse', 'HEAD']),
    dirty: git(['status', '--porcelain', '--', 'libs/engine', 'libs/distributed', 'libs/wasm-kernels', 'tools/bench']) !== '',
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: ncpu,
    backend: 'wasm + Omnitrain kernels',
    scaling: 'weak: every worker trains on the per-worker batch, the global batch doubles with 2 workers',
    seconds,
    warmup,
    repeat,
    fp16: opt.fp16,
    bucketMB: Number(opt['bucket-mb']),
    shardOptimizer: shardMain,
    ...(shardOther !== undefined ? { alsoShardOptimizer: shardOther } : {}),
    segmentMB: opt['segment-mb'] ? Number(opt['segment-mb']) : 'collective default (1)',
    peer: peer.ok ? `PyTorch ${peer.version} DistributedDataParallel, Gloo (tools/bench/scaling-ddp.py)` : `none: ${peer.why}`,
    workerEnv: workerEnv(),
    loadBefore: loadavg(),
  };
  if (ncpu < 2) console.log(`this machine has ${ncpu} core(s): the 2 workers share it, expect efficiency near 50%`);
  console.log(`scaling benchmark: ${models.join(', ')}; ${seconds} s measured after ${warmup} s warm-up, best of ${repeat} alternating runs; fp16 wire ${opt.fp16}; buckets ${meta.bucketMB} MiB; sharded optimizer ${shardMain}${shardOther !== undefined ? ` (and ${shardOther} beside)` : ''}; malloc ${opt.malloc} (load ${fmtLoad(meta.loadBefore)})`);
  const results = {};
  for (const model of models) {
    const spec = modelSpec(model);
    // --steps / --warmup-steps fix the step counts (the smoke test); otherwise a probe turns seconds into steps.
    const plan = opt.steps ? { warmupSteps: int('warmup-steps'), steps: int('steps') } : await planSteps(model, spec.batch, seconds, warmup);
    // The 2-worker runs take as many steps as the 1-worker run (both ranks must stop at the same step).
    // Repeats alternate 1 worker, 2 workers (, strong) so a burst of other load hits both alike; the best of each is kept.
    let one, two, strong, other, free, torch1, torch2;
    const withPeer = peer.ok && model !== 'tiny';
    for (let i = 0; i < repeat; i++) {
      one = better(one, await run(model, 1, spec.batch, plan));
      two = better(two, await run(model, 2, spec.batch, plan, shardMain));
      free = better(free, await run(model, 2, spec.batch, plan, undefined, true));
      if (shardOther !== undefined) other = better(other, await run(model, 2, spec.batch, plan, shardOther));
      if (opt.strong && spec.batch % 2 === 0) strong = better(strong, await run(model, 2, spec.batch / 2, plan, shardMain));
      if (withPeer) {
        torch1 = better(torch1, await runTorch(model, 1, seconds, warmup));
        torch2 = better(torch2, await runTorch(model, 2, seconds, warmup));
      }
    }
    const row = {
      batch: spec.batch,
      params: one.params,
      one: one.summary,
      two: two.summary,
      efficiency: two.summary.samplesPerSec / (2 * one.summary.samplesPerSec),
      cpuEfficiency: two.summary.cpuSamplesPerSec / (2 * one.summary.cpuSamplesPerSec),
      // Load-robust companion: the median step's time (slowest rank per step) instead of the wall window.
      medianEfficiency: one.summary.medianStepMs / two.summary.medianStepMs,
      // The host's ceiling: 2 processes that never communicate, against 2 x 1 worker.
      noSync: { ...free.summary, efficiency: free.summary.samplesPerSec / (2 * one.summary.samplesPerSec) },
    };
    if (torch1 && torch2) {
      const efficiency = torch2.summary.samplesPerSec / (2 * torch1.summary.samplesPerSec);
      row.peer = { one: torch1.summary, two: torch2.summary, efficiency, ratio: row.efficiency / efficiency };
    }
    if (other) row.other = { ...other.summary, shardOptimizer: shardOther, efficiency: other.summary.samplesPerSec / (2 * one.summary.samplesPerSec), medianEfficiency: one.summary.medianStepMs / other.summary.medianStepMs };
    if (strong) row.strong = { ...strong.summary, globalBatch: spec.batch, efficiency: strong.summary.samplesPerSec / (2 * one.summary.samplesPerSec) };
    row.loadAfter = loadavg();
    results[model] = row;
    console.log(`  ${model.padEnd(12)} 1 worker ${fmt(row.one.samplesPerSec)} samples/s, 2 workers ${fmt(row.two.samplesPerSec)} samples/s: efficiency ${pct(row.efficiency)} (median step ${pct(row.medianEfficiency)}); no sync ${pct(row.noSync.efficiency)}${row.peer ? `; PyTorch DDP ${fmt(row.peer.one.samplesPerSec)} -> ${fmt(row.peer.two.samplesPerSec)} samples/s, ${pct(row.peer.efficiency)}: ours / DDP ${row.peer.ratio.toFixed(2)}x` : ''}${row.other ? `; sharded optimizer ${shardOther}: ${fmt(row.other.samplesPerSec)} samples/s, ${pct(row.other.efficiency)} (median step ${pct(row.other.medianEfficiency)})` : ''}${row.strong ? `; strong (global batch ${spec.batch}) ${fmt(row.strong.samplesPerSec)} samples/s, ${pct(row.strong.efficiency)}` : ''} (load ${fmtLoad(row.loadAfter)})`);
  }
  meta.loadAfter = loadavg();
  printTable(models, results, meta);
  const out = resolve(ROOT, opt.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'scaling.json'), `${JSON.stringify({ meta, results }, null, 2)}\n`);
  writeFileSync(join(out, 'scaling.svg'), chart(models, results, meta));
  console.log(`wrote ${join(opt.out, 'scaling.json')} and ${join(opt.out, 'scaling.svg')}`);
}

/** The run with the higher throughput (the less disturbed by other load). */
function better(a, b) {
  return !a || b.summary.samplesPerSec > a.summary.samplesPerSec ? b : a;
}

/** Times a few 1-worker steps to turn seconds of warm-up and measurement into step counts. */
async function planSteps(model, batch, seconds, warmup) {
  const probe = await launch(model, 1, batch, 1, 3);
  const stepMs = probe.ranks[0].windowMs / probe.ranks[0].steps;
  return { warmupSteps: Math.max(2, Math.ceil((warmup * 1000) / stepMs)), steps: Math.max(3, Math.ceil((seconds * 1000) / stepMs)) };
}

/** One run of `nproc` workers through launchLocal (rank r pinned to core r), `plan`'s step counts. */
async function run(model, nproc, batch, { warmupSteps, steps }, shardOptimizer, independent = false) {
  const r = await launch(model, nproc, batch, warmupSteps, steps, shardOptimizer, independent);
  return { ...r, warmupSteps, steps };
}

async function launch(model, nproc, batch, warmupSteps, steps, shardOptimizer, independent = false) {
  const { launchLocal } = await import('@omnitrain/distributed');
  const dir = mkdtempSync(join(tmpdir(), 'omnitrain-scaling-'));
  const log = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (log.push(String(chunk)), done()) });
  const args = ['--worker', '--model', model, '--batch', String(batch), '--warmup-steps', String(warmupSteps), '--steps', String(steps), '--bucket-mb', opt['bucket-mb'], ...(opt.fp16 ? ['--fp16'] : []), ...(opt['segment-mb'] ? ['--segment-mb', opt['segment-mb']] : []), ...(shardOptimizer === undefined ? [] : ['--shard-optimizer', shardOptimizer ? 'on' : 'off']), ...(independent ? ['--independent'] : [])];
  // Each rank pins itself: taskset -c <its rank> (LOCAL_RANK comes from launchLocal), in a session of its own
  // (setsid: its own scheduler autogroup; the pid stays the worker's, setsid only forks for a group leader).
  const ncpu = cpus().length;
  const pin = `exec setsid -w taskset -c "$(( LOCAL_RANK % ${ncpu} ))" "$0" "$@"`;
  const deadlineMs = 120_000 + 60_000 * Math.max(1, num('seconds') + num('warmup'));
  try {
    await launchLocal({
      nproc,
      command: '/bin/sh',
      args: ['-c', pin, process.execPath, fileURLToPath(import.meta.url), ...args, '--result-dir', dir],
      env: workerEnv(),
      stdout: sink,
      stderr: sink,
      signal: AbortSignal.timeout(deadlineMs),
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${model} on ${nproc} worker(s) failed: ${e.message}\n${log.join('').split('\n').slice(-15).join('\n')}`);
  }
  const ranks = Array.from({ length: nproc }, (_, r) => JSON.parse(readFileSync(join(dir, `rank-${r}.json`), 'utf8')));
  rmSync(dir, { recursive: true, force: true });
  return { ranks, params: ranks[0].params, summary: summarize(ranks) };
}

/** The peer: PyTorch DDP on `nproc` processes (rank r pinned to core r, each in its own session), as ours. */
async function runTorch(model, nproc, seconds, warmup) {
  const port = await freePort();
  const env = { ...process.env, ...TORCH_ENV };
  const ncpu = cpus().length;
  const deadlineMs = 120_000 + 60_000 * Math.max(1, seconds + warmup);
  const ranks = await Promise.all(
    Array.from({ length: nproc }, (_, r) =>
      new Promise((done, reject) => {
        const args = ['-w', 'taskset', '-c', String(r % ncpu), '/usr/bin/python3', join(HERE, 'scaling-ddp.py'), '--model', model, '--rank', String(r), '--world', String(nproc), '--port', String(port), '--seconds', String(seconds), '--warmup', String(warmup)];
        const proc = spawn('setsid', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => proc.kill('SIGKILL'), deadlineMs);
        proc.stdout.on('data', (d) => (stdout += d));
        proc.stderr.on('data', (d) => (stderr += d));
        proc.on('close', (code) => {
          clearTimeout(timer);
          const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
          if (line) done(JSON.parse(line.slice(7)));
          else reject(new Error(`PyTorch DDP ${model} rank ${r} of ${nproc}: exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        });
      }),
    ),
  );
  const windowS = Math.max(...ranks.map((r) => r.seconds));
  const samples = ranks.reduce((s, r) => s + r.batch * r.steps, 0);
  return { summary: { workers: nproc, perWorkerBatch: ranks[0].batch, steps: ranks[0].steps, seconds: windowS, samplesPerSec: samples / windowS, cpuSamplesPerSec: ranks.reduce((s, r) => s + (r.batch * r.steps) / r.cpuSeconds, 0) } };
}

function freePort() {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Throughput over all ranks and the mean split over steps and ranks, from the ranks' records. */
function summarize(ranks) {
  const samples = ranks.reduce((s, r) => s + r.batch * r.steps, 0);
  const windowS = Math.max(...ranks.map((r) => r.windowMs)) / 1000;
  const cpuSamplesPerSec = ranks.reduce((s, r) => s + (r.batch * r.steps) / (r.cpuMs / 1000), 0) / ranks.length;
  const split = {};
  for (const p of [...PARTS, 'totalMs']) split[p] = mean(ranks.flatMap((r) => r.timings.map((t) => t[p])));
  const steps = Math.min(...ranks.map((r) => r.steps));
  // The fastest rank waits for the slowest inside the all-reduce; the smaller of the ranks' times is about the transfer.
  const allReduceFloorMs = mean(Array.from({ length: steps }, (_, i) => Math.min(...ranks.map((r) => r.timings[i].allReduceMs))));
  const stepWallMs = (windowS * 1000) / steps;
  // Each step's time is its slowest rank's (the ranks move in lockstep); the median ignores steps another process preempted.
  const medianStepMs = median(Array.from({ length: steps }, (_, i) => Math.max(...ranks.map((r) => r.timings[i].totalMs))));
  return {
    workers: ranks.length,
    perWorkerBatch: ranks[0].batch,
    steps,
    seconds: windowS,
    samplesPerSec: samples / windowS,
    cpuSamplesPerSec: cpuSamplesPerSec * ranks.length,
    stepWallMs,
    medianStepMs,
    split,
    share: Object.fromEntries(PARTS.map((p) => [p, split[p] / split.totalMs])),
    allReduceFloorMs,
    // Time between steps (callbacks) and the bookkeeping inside a step: what no part covers.
    uncoveredMs: stepWallMs - PARTS.reduce((s, p) => s + split[p], 0),
  };
}

function printTable(models, results, meta) {
  const hasPeer = models.some((m) => results[m].peer);
  const head = ['model', 'params', 'batch/worker', '1 worker', '2 workers', 'efficiency', 'eff. per CPU-s', 'eff. median step', 'no sync eff.', ...(hasPeer ? ['DDP 1w', 'DDP 2w', 'DDP eff.', 'ours / DDP'] : []), ...(opt['shard-optimizer'] === 'both' ? ['2w other shard', 'its eff. (median step)'] : []), ...(opt.strong ? ['strong 2w', 'strong eff.'] : []), 'split 1w: data / compute / all-reduce / optimizer ms', 'split 2w: data / compute / all-reduce (floor) / optimizer ms', ...(opt['shard-optimizer'] === 'both' ? ['split 2w other shard'] : []), '2w %: data / compute / all-reduce / optimizer'];
  const splitCell = (s, floor) => `${s.split.dataMs.toFixed(1)} / ${s.split.computeMs.toFixed(1)} / ${s.split.allReduceMs.toFixed(1)}${floor ? ` (${s.allReduceFloorMs.toFixed(1)})` : ''} / ${s.split.optimizerMs.toFixed(1)}`;
  const rows = models.map((m) => {
    const r = results[m];
    return [
      m,
      fmt(r.params),
      String(r.batch),
      fmt(r.one.samplesPerSec),
      fmt(r.two.samplesPerSec),
      pct(r.efficiency),
      pct(r.cpuEfficiency),
      pct(r.medianEfficiency),
      pct(r.noSync.efficiency),
      ...(hasPeer ? (r.peer ? [fmt(r.peer.one.samplesPerSec), fmt(r.peer.two.samplesPerSec), pct(r.peer.efficiency), `${r.peer.ratio.toFixed(2)}x`] : ['-', '-', '-', '-']) : []),
      ...(opt['shard-optimizer'] === 'both' ? [fmt(r.other.samplesPerSec), `${pct(r.other.efficiency)} (${pct(r.other.medianEfficiency)})`] : []),
      ...(opt.strong ? (r.strong ? [fmt(r.strong.samplesPerSec), pct(r.strong.efficiency)] : ['-', '-']) : []),
      splitCell(r.one, false),
      splitCell(r.two, true),
      ...(opt['shard-optimizer'] === 'both' ? [splitCell(r.other, true)] : []),
      PARTS.map((p) => (100 * r.two.share[p]).toFixed(0)).join(' / '),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(`\nsamples/s over all workers (weak scaling: global batch = workers x batch/worker); efficiency = s2 / (2 s1); no sync = 2 workers that never communicate (this host's ceiling); DDP = PyTorch's on the same models; ours / DDP = efficiency ratio; 2 workers with sharded optimizer ${meta.shardOptimizer}; load ${fmtLoad(meta.loadBefore)} before, ${fmtLoad(meta.loadAfter)} after`);
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

/** Two panels: throughput bars (1 worker, 2 workers, strong) with the efficiency, and each run's split as stacked bars. */
function chart(models, results, meta) {
  const W = 960, H = 520, T = 60, B = 110, L = 60, mid = 480;
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  // Each bar: [label, colour, the run's throughput over its own 1-process run, its samples/s]
  const series = [
    ['1 worker', '#9aa0a6', (r) => [1, r.one.samplesPerSec]],
    ['2 workers', '#1a73e8', (r) => [r.two.samplesPerSec / r.one.samplesPerSec, r.two.samplesPerSec]],
    ['2, no sync (ceiling)', '#aecbfa', (r) => [r.noSync.samplesPerSec / r.one.samplesPerSec, r.noSync.samplesPerSec]],
    ...(models.some((m) => results[m].peer) ? [['PyTorch DDP 2 / 1', '#d93025', (r) => r.peer && [r.peer.two.samplesPerSec / r.peer.one.samplesPerSec, r.peer.two.samplesPerSec]]] : []),
    ...(opt.strong ? [['2 workers, same global batch', '#34a853', (r) => r.strong && [r.strong.samplesPerSec / r.one.samplesPerSec, r.strong.samplesPerSec]]] : []),
  ];
  const partColors = { dataMs: '#f4b400', computeMs: '#1a73e8', allReduceMs: '#d93025', optimizerMs: '#34a853' };
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">Data-parallel scaling, wasm + Omnitrain kernels, one core per worker (weak scaling)</text>`);
  parts.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${esc(meta.date.slice(0, 16))} UTC, commit ${esc(meta.commit.slice(0, 10))}${meta.dirty ? '+' : ''}, load ${esc(fmtLoad(meta.loadBefore))}; efficiency = s2 / (2 s1)</text>`);
  // Left: samples/s relative to the 1-worker figure (so every model fits one axis): 1.0 = 1 worker, 2.0 = perfect.
  const gw = (mid - L - 20) / models.length;
  const y = (v) => T + (H - T - B) * (1 - v / 2.2);
  for (const v of [0, 0.5, 1, 1.5, 2]) {
    parts.push(`<line x1="${L}" x2="${mid - 20}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 2 ? '#999' : '#e0e0e0'}"${v === 2 ? ' stroke-dasharray="4 3"' : ''}/>`);
    parts.push(`<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}x</text>`);
  }
  const bw = Math.min(22, (gw - 10) / series.length);
  models.forEach((m, gi) => {
    const r = results[m];
    const x0 = L + gi * gw + (gw - bw * series.length) / 2;
    series.forEach(([label, color, value], si) => {
      const got = value(r);
      if (!got) return;
      const [v, sps] = got;
      parts.push(`<rect x="${(x0 + si * bw).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw - 2}" height="${(y(0) - y(v)).toFixed(1)}" fill="${color}"><title>${esc(`${m} ${label}: ${fmt(sps)} samples/s`)}</title></rect>`);
    });
    parts.push(`<text x="${(L + gi * gw + gw / 2).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${esc(m)}</text>`);
    parts.push(`<text x="${(L + gi * gw + gw / 2).toFixed(1)}" y="${H - B + 31}" text-anchor="middle" fill="#1a73e8">${pct(r.efficiency)}</text>`);
    if (r.peer) parts.push(`<text x="${(L + gi * gw + gw / 2).toFixed(1)}" y="${H - B + 45}" text-anchor="middle" fill="#d93025">${pct(r.peer.efficiency)}</text>`);
  });
  parts.push(`<text x="${L}" y="${T - 6}" fill="#555">throughput / 1 worker (2.0x = perfect)</text>`);
  series.forEach(([label, color], i) => parts.push(`<rect x="${L + (i % 2) * 200}" y="${H - 34 + Math.floor(i / 2) * 14}" width="10" height="10" fill="${color}"/><text x="${L + (i % 2) * 200 + 14}" y="${H - 25 + Math.floor(i / 2) * 14}" font-size="11">${esc(label)}</text>`));
  // Right: mean step split, ms, 1 worker vs 2 workers per model (stacked, normalized to the 2-worker step).
  const x = (v) => mid + 90 + (W - mid - 160) * v;
  const rh = (H - T - B) / models.length;
  parts.push(`<text x="${mid + 90}" y="${T - 6}" fill="#555">share of the step (1w above, 2w below)</text>`);
  models.forEach((m, i) => {
    const r = results[m];
    const scale = Math.max(r.one.split.totalMs, r.two.split.totalMs);
    [['one', 0], ['two', 1]].forEach(([key, k]) => {
      const s = r[key];
      let acc = 0;
      const yy = T + i * rh + 4 + k * (rh / 2 - 2);
      for (const p of PARTS) {
        const w = s.split[p] / scale;
        parts.push(`<rect x="${x(acc).toFixed(1)}" y="${yy.toFixed(1)}" width="${(x(acc + w) - x(acc)).toFixed(1)}" height="${(rh / 2 - 6).toFixed(1)}" fill="${partColors[p]}"><title>${esc(`${m} ${key === 'one' ? '1 worker' : '2 workers'} ${p}: ${s.split[p].toFixed(2)} ms`)}</title></rect>`);
        acc += w;
      }
      parts.push(`<text x="${x(acc) + 4}" y="${(yy + rh / 2 - 9).toFixed(1)}" font-size="10">${s.split.totalMs.toFixed(1)} ms</text>`);
    });
    parts.push(`<text x="${mid + 84}" y="${(T + i * rh + rh / 2 + 4).toFixed(1)}" text-anchor="end">${esc(m)}</text>`);
  });
  PARTS.forEach((p, i) => parts.push(`<rect x="${mid + 90 + i * 95}" y="${H - 30}" width="12" height="12" fill="${partColors[p]}"/><text x="${mid + 106 + i * 95}" y="${H - 20}">${p.replace('Ms', '')}</text>`));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function workerEnv() {
  return opt.malloc === 'tuned' ? { GLIBC_TUNABLES: MALLOC_TUNABLES } : {};
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : 0;
}
function mean(xs) {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}
function fmt(v) {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toPrecision(2);
}
function pct(v) {
  return `${(100 * v).toFixed(0)}%`;
}
function fmtLoad(l) {
  return l.map((x) => x.toFixed(2)).join(' ');
}
function num(name) {
  const v = Number(opt[name]);
  if (!Number.isFinite(v) || v < 0) fail(`--${name} must be a number >= 0, got "${opt[name]}"`);
  return v;
}
function int(name) {
  const v = Number(opt[name]);
  if (!Number.isInteger(v) || v < 1) fail(`--${name} must be an integer >= 1, got "${opt[name]}"`);
  return v;
}
function fail(msg) {
  console.error(`bench:scaling: ${msg}\n${usage()}`);
  process.exit(2);
}
function usage() {
  return 'usage: node tools/bench/scaling.mjs [--models mlp,cnn,transformer,gru,audio2d,audio1d|tiny] [--seconds 5] [--warmup 2] [--repeat 2] [--strong] [--fp16] [--bucket-mb 16] [--segment-mb 1] [--malloc tuned|default] [--shard-optimizer default|on|off|both] [--out reports/bench] [--steps N --warmup-steps M]';
}
