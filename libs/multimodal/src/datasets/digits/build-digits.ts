import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfigObject, writeFileAtomic } from '@omnitrain/core';
import { mapAhead } from '@omnitrain/data';
import { encodePng } from '@omnitrain/image';
import { encodeWav } from '@omnitrain/audio';
import { Rng, deriveSeed } from '@omnitrain/core';
import { digitsOptionsSchema } from './digits-options.js';
import type { DigitsOptions, DigitsOptionsInput } from './digits-options.js';
import { mnistDigits } from './mnist-digits.js';
import { planDigitSamples } from './plan-digit-samples.js';
import type { DigitSamplePlan } from './plan-digit-samples.js';
import { renderDigitAudio, renderDigitImage } from './render-digit-media.js';
import { randomVoice, speakDigit } from './speak-digit.js';

/** Name of the manifest inside the dataset folder. */
export const DIGITS_MANIFEST = 'manifest.jsonl';
/** Name of the stamp that marks a complete build. */
export const DIGITS_STAMP = 'build-stamp.json';
const STAMP_VERSION = 1;

/** Options of {@link buildDigits}: where, content options (see {@link digitsOptionsSchema}), progress. */
export type BuildDigitsOptions = DigitsOptionsInput & {
  /** The dataset folder (created). Required. */
  outDir: string;
  /** Called after each written sample with the count done and the total. Default: none. */
  onProgress?: (done: number, total: number) => void;
};

/** What {@link buildDigits} made (or found). */
export interface DigitsBuild {
  /** Absolute path of `manifest.jsonl`. */
  manifest: string;
  /** Absolute path of the dataset folder. */
  outDir: string;
  /** Rows of the manifest. */
  samples: number;
  /** Rows per split. */
  splits: Record<string, number>;
  /** True when a complete build with the same options was already there and nothing was written. */
  skipped: boolean;
  /** Wall time of the call, in milliseconds. */
  ms: number;
  /** The options used, defaults filled in. */
  options: DigitsOptions;
}

interface Stamp {
  version: number;
  options: DigitsOptions;
  samples: number;
  splits: Record<string, number>;
  manifestSha256: string;
}

/**
 * Builds the embedded tri-modal digits dataset on disk: `images/<id>.png` (real MNIST handwriting),
 * `audio/<id>.wav` (the digit's word spoken by sam-js with a seeded voice, 16-bit at `sampleRate`,
 * in background noise), captions in `manifest.jsonl` (`id, image, audio, text, label, split` plus
 * `speaker` and `conditions`), readable by data's `readManifest`. Each modality is imperfect on
 * purpose: a seeded fraction of rows misses it or carries a corrupt one (see
 * {@link digitsOptionsSchema}), so a model that fuses the three beats any one alone.
 * Deterministic (same options, same bytes), offline, and idempotent: a stamp file written last
 * records the options and the manifest's hash, and a later call with the same options skips.
 * A rebuild first deletes the stamp and the folder's `images/` and `audio/`.
 *
 * @param options `outDir` (required), content options, `onProgress`.
 * @returns Where the manifest is, the counts, and whether the build was skipped.
 * @throws ConfigError on invalid options.
 * @example
 * const { manifest } = await buildDigits({ outDir: 'data/digits', samplesPerClass: 150, seed: 0 });
 * const ds = await readManifest(manifest); // 1,500 rows, classes '0'..'9'
 */
export async function buildDigits(options: BuildDigitsOptions): Promise<DigitsBuild> {
  const started = performance.now();
  const { outDir: dir, onProgress, ...content } = options;
  const opts = loadConfigObject(content, digitsOptionsSchema, { source: 'multimodal.buildDigits' });
  const outDir = resolve(dir);
  const manifest = join(outDir, DIGITS_MANIFEST);
  const done = await completeBuild(outDir, opts);
  if (done) return { manifest, outDir, samples: done.samples, splits: done.splits, skipped: true, ms: performance.now() - started, options: opts };

  await rm(join(outDir, DIGITS_STAMP), { force: true });
  await rm(join(outDir, 'images'), { recursive: true, force: true });
  await rm(join(outDir, 'audio'), { recursive: true, force: true });
  await mkdir(join(outDir, 'images'), { recursive: true });
  await mkdir(join(outDir, 'audio'), { recursive: true });

  const mnist = mnistDigits();
  const plans = planDigitSamples(opts, mnist);
  const voices = Array.from({ length: opts.speakers }, (_, s) => randomVoice(Rng.fromSeed(deriveSeed(opts.seed, 'digits-voice', s))));
  const speech = new Map<string, Float32Array>();
  const spoken = (plan: DigitSamplePlan): Float32Array => {
    const key = `${plan.speaker}:${plan.digit}`;
    if (!speech.has(key)) speech.set(key, speakDigit(plan.digit, voices[plan.speaker]!, opts.sampleRate));
    return speech.get(key)!;
  };
  const write = async (plan: DigitSamplePlan): Promise<string> => {
    const row: Record<string, unknown> = { id: plan.id };
    if (plan.conditions.image !== 'missing') {
      row.image = `images/${plan.id}.png`;
      await writeFile(join(outDir, row.image as string), await encodePng(renderDigitImage(plan, mnist)));
    }
    if (plan.conditions.audio !== 'missing') {
      row.audio = `audio/${plan.id}.wav`;
      const samples = renderDigitAudio(plan, spoken(plan), opts);
      await writeFile(join(outDir, row.audio as string), encodeWav({ sampleRate: opts.sampleRate, channels: [samples] }));
    }
    Object.assign(row, { text: plan.text, label: String(plan.digit), split: plan.split, speaker: plan.speaker, conditions: plan.conditions });
    return JSON.stringify(row);
  };
  const lines: string[] = [];
  for await (const line of mapAhead(plans, write, { concurrency: 8, op: 'multimodal.buildDigits' })) {
    lines.push(line);
    onProgress?.(lines.length, plans.length);
  }
  const text = `${lines.join('\n')}\n`;
  await writeFileAtomic(manifest, [Buffer.from(text)]);
  const splits: Record<string, number> = {};
  for (const p of plans) splits[p.split] = (splits[p.split] ?? 0) + 1;
  const stamp: Stamp = { version: STAMP_VERSION, options: opts, samples: plans.length, splits, manifestSha256: sha256(text) };
  await writeFileAtomic(join(outDir, DIGITS_STAMP), [Buffer.from(`${JSON.stringify(stamp, null, 2)}\n`)]);
  return { manifest, outDir, samples: plans.length, splits, skipped: false, ms: performance.now() - started, options: opts };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The stamp of a complete build with these options whose manifest is intact, if there is one. */
async function completeBuild(outDir: string, opts: DigitsOptions): Promise<Stamp | undefined> {
  try {
    const stamp = JSON.parse(await readFile(join(outDir, DIGITS_STAMP), 'utf8')) as Stamp;
    if (stamp.version !== STAMP_VERSION || JSON.stringify(stamp.options) !== JSON.stringify(opts)) return undefined;
    const manifest = await readFile(join(outDir, DIGITS_MANIFEST), 'utf8');
    return sha256(manifest) === stamp.manifestSha256 ? stamp : undefined;
  } catch {
    return undefined;
  }
}
