// Test helper: reads the torchaudio reference values written by tools/fixtures/audio-torchaudio.py.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

interface Stored {
  offset: number;
  shape: number[];
}

/** One reference output: what torchaudio was asked, the TS options that mean the same, and the values. */
export interface TorchaudioCase {
  name: string;
  kind: 'spectrogram' | 'mel' | 'logmel' | 'mfcc' | 'fbank' | 'resample';
  torchaudio: string;
  options: Record<string, unknown>;
  /** Whether torch computed in float64 (else float32, its default). */
  float64: boolean;
  /** The input signal and its rate (absent for filter banks). */
  input: { samples: Float32Array; sampleRate: number } | undefined;
  /** torchaudio's output in its own layout ([bins, frames] for spectrograms). */
  output: Float32Array;
  shape: number[];
}

/** Every case of test-fixtures/torchaudio.json, with its arrays read from torchaudio.f32. */
export function torchaudioCases(): TorchaudioCase[] {
  const index = JSON.parse(readFileSync(join(here, 'torchaudio.json'), 'utf8')) as {
    signals: Record<string, Stored & { sampleRate: number }>;
    cases: Array<Pick<TorchaudioCase, 'name' | 'kind' | 'torchaudio' | 'options' | 'float64'> & { input: string | null; output: Stored }>;
  };
  const bytes = readFileSync(join(here, 'torchaudio.f32'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const take = (s: Stored): Float32Array => all.slice(s.offset, s.offset + s.shape.reduce((a, b) => a * b, 1));
  return index.cases.map((c) => {
    const signal = c.input === null ? undefined : index.signals[c.input]!;
    return {
      name: c.name,
      kind: c.kind,
      torchaudio: c.torchaudio,
      options: c.options,
      float64: c.float64,
      input: signal && { samples: take(signal), sampleRate: signal.sampleRate },
      output: take(c.output),
      shape: c.output.shape,
    };
  });
}

/** `[rows, cols]` row-major -> `[cols, rows]`, to compare frame-major spectrograms with torchaudio's `[bins, frames]`. */
export function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/**
 * The largest of |actual - expected| / max(|expected|, floor) over all elements: relative error
 * where values are not tiny, error relative to `floor` where they are.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor: number): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor);
    if (!(err <= worst)) worst = err; // NaN propagates as a failure
  }
  return worst;
}

/** The largest |actual - expected| (Infinity when the lengths differ; NaN fails). */
export function maxAbsoluteError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (!(err <= worst)) worst = err;
  }
  return worst;
}
