import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '@omnitrain/cli';
import { readSafetensors } from '@omnitrain/core';
import type { SafetensorsTensor } from '@omnitrain/core';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';
import { writeTinyRun } from '../../test-fixtures/tiny-run.js';

/** The printed table's rows, by column name. */
function parseTable(stdout: string): Record<string, string>[] {
  const lines = stdout.split('\n');
  const head = lines.findIndex((l) => l.startsWith('variant'));
  const columns = lines[head]!.trim().split(/\s{2,}/);
  return lines.slice(head + 2).filter((l) => l.trim() && !l.startsWith('int8')).map((l) => Object.fromEntries(l.trim().split(/\s{2,}/).map((c, i) => [columns[i]!, c])));
}

/** Elements and nonzero elements of the weights saved in a file (scales excluded; int8 zero = q 0, symmetric). */
function countSaved(tensors: Record<string, SafetensorsTensor>): { params: number; nonzero: number } {
  let params = 0;
  let nonzero = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (name.endsWith(':scale') || name.endsWith(':zero_point')) continue;
    params += t.data.length;
    const data = t.data as ArrayLike<number>;
    for (let i = 0; i < data.length; i++) if (data[i] !== 0) nonzero++;
  }
  return { params, nonzero };
}

describe('omnitrain compress', () => {
  let tiny: Awaited<ReturnType<typeof writeTinyRun>>;
  beforeAll(async () => {
    tiny = await writeTinyRun(24);
    const trained = await runOmnitrain(['train', tiny.config, '--run-id', 'base', '--set', 'train.epochs=1'], { cwd: tiny.dir });
    expect(trained.code, trained.stderr).toBe(EXIT_CODES.ok);
  }, 30_000);

  it('prunes with a fine-tune and quantizes a tiny trained run; the table matches the files', async () => {
    const r = await runOmnitrain(['compress', join('runs', 'base'), '--prune', '0.5', '--finetune-epochs', '1', '--quantize', 'int8', '--per-channel', '--run-id', 'small'], { cwd: tiny.dir });
    expect(r.code, r.stderr).toBe(EXIT_CODES.ok);
    const rows = parseTable(r.stdout);
    expect(rows.map((row) => row['variant'])).toEqual(['baseline (float32)', 'pruned 0.5 + 1 ep fine-tune', 'pruned-unstructured-0.5 + int8 per-channel']);
    const out = join(tiny.dir, 'runs', 'small');
    const report = JSON.parse(await readFile(join(out, 'compress.json'), 'utf8')) as { variants: Array<{ file: string; accuracy: number }> };
    const baseline = Number(rows[0]!['accuracy']);
    for (const [i, row] of rows.entries()) {
      const file = join(out, row['file']!);
      expect(Number(row['bytes'])).toBe((await stat(file)).size);
      const counted = countSaved((await readSafetensors(file)).tensors);
      expect(Number(row['params'])).toBe(counted.params);
      expect(Number(row['nonzero'])).toBe(counted.nonzero);
      expect(Number(row['accuracy'])).toBeCloseTo(report.variants[i]!.accuracy, 4);
      expect(Number(row['delta'])).toBeCloseTo(Number(row['accuracy']) - baseline, 3);
    }
    const [base, pruned, int8] = rows.map((row) => ({ params: Number(row['params']), nonzero: Number(row['nonzero']), bytes: Number(row['bytes']) }));
    // Kernels are half zero; biases (excluded) are not, so overall just under half.
    expect(pruned!.nonzero).toBeLessThan(0.6 * base!.nonzero);
    expect(int8!.nonzero).toBeLessThanOrEqual(pruned!.nonzero);
    expect(int8!.bytes).toBeLessThan(pruned!.bytes);
    // The weights' data: 1 byte per quantized element (+ float32 scales, biases) against 4.
    const dataBytes = async (row: Record<string, string>) => Object.values((await readSafetensors(join(out, row['file']!))).tensors).reduce((s, t) => s + t.data.byteLength, 0);
    expect(await dataBytes(rows[1]!)).toBe(4 * base!.params);
    expect(await dataBytes(rows[2]!)).toBeLessThan(0.5 * 4 * base!.params);
    expect(r.stdout).toMatch(/int8 max abs weight error: \d/);
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8')) as { telemetry: { runId: string } };
    expect(config.telemetry.runId).toBe('small');
  }, 60_000);

  it('distills a smaller student from a trained run, then quantizes the student', async () => {
    const student = join(tiny.dir, 'student.yaml');
    const text = (await readFile(tiny.config, 'utf8')).replace('hiddenDim: 8', 'hiddenDim: 3').replace('epochs: 2', 'epochs: 1');
    await writeFile(student, text);
    const r = await runOmnitrain(['compress', 'runs/base', '--distill-from', 'runs/base', '--student', 'student.yaml', '--alpha', '0.3', '--quantize', 'int8', '--run-id', 'st'], { cwd: tiny.dir });
    expect(r.code, r.stderr).toBe(EXIT_CODES.ok);
    const rows = parseTable(r.stdout);
    expect(rows.map((row) => row['variant'])).toEqual(['baseline (float32)', 'student distilled (1 ep)', 'student + int8 per-tensor']);
    const [base, st, q] = rows.map((row) => Number(row['params']));
    expect(st).toBeLessThan(base!);
    expect(q).toBe(st);
    for (const row of rows) expect(Number(row['bytes'])).toBe((await stat(join(tiny.dir, 'runs', 'st', row['file']!))).size);
    const saved = JSON.parse(await readFile(join(tiny.dir, 'runs', 'st', 'config.json'), 'utf8')) as { model: { fusion: { hiddenDim: number } } };
    expect(saved.model.fusion.hiddenDim).toBe(3); // the student's config rebuilds the compressed model
  }, 60_000);

  it('bad flags and missing steps are usage errors (exit 2) with a clear message', async () => {
    const [bad, none, half, alone] = await Promise.all([
      ['compress', 'runs/x', '--prune', '1.5'],
      ['compress', 'runs/x'],
      ['compress', 'runs/x', '--distill-from', 'runs/x'],
      ['compress', 'runs/x', '--quantize', 'int8', '--finetune-epochs', '2'],
    ].map((args) => runOmnitrain(args)));
    expect(bad!.code).toBe(EXIT_CODES.config);
    expect(bad!.stderr).toContain('--prune expects a sparsity in [0, 1), got "1.5"');
    expect(none!.code).toBe(EXIT_CODES.config);
    expect(none!.stderr).toContain('error: compress needs at least one of --prune, --quantize, --distill-from');
    expect(half!.code).toBe(EXIT_CODES.config);
    expect(half!.stderr).toContain('error: --distill-from and --student go together');
    expect(alone!.code).toBe(EXIT_CODES.config);
    expect(alone!.stderr).toContain('error: --finetune-epochs needs --prune');
  });
});
