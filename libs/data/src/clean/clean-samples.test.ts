import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { cleanSamples, formatCleaningReport, normalizeText, readManifest, sampleContentKey, sampleValidators } from '@omnitrain/data';
import type { Sample } from '@omnitrain/data';
import { tempTree as folder } from '../../test-fixtures/temp-tree.js';

const rand = (n: number) => Math.floor(Math.random() * n);

describe('cleanSamples', () => {
  it('drops duplicates, missing files, unknown and missing labels, and reports every one', async () => {
    const root = await folder({ 'a.png': 'AAA', 'a-copy.png': 'AAA', 'b.png': 'BBB', 'c.png': 'CCC', 'dir.png/x': '' });
    const rows = [
      '{"image":"a.png","label":"cat"}', // 1 kept
      '{"image":"a-copy.png","label":"cat"}', // 2 duplicate of 1 (same bytes, another file)
      '{"image":"b.png","text":"Hello  World","label":"dog"}', // 3 kept
      '{"image":"b.png","text":"hello world ","label":"dog"}', // 4 duplicate of 3 (normalized text)
      '{"image":"b.png","text":"hello there","label":"dog"}', // 5 kept: same image, other text
      '{"image":"gone.png","label":"cat"}', // 6 missing file
      '{"image":"dir.png","label":"cat"}', // 7 not a file
      '{"image":"c.png","label":"cta"}', // 8 unknown label
      '{"text":"seven"}', // 9 missing label
      '{"label":"cat","note":"empty"}', // 10 no content
      '{"text":"Seven","label":"cat"}', // 11 conflicting duplicate of 12
      '{"text":"seven ","label":"dog"}', // 12 conflicting duplicate of 11
    ];
    await writeFile(join(root, 'm.jsonl'), rows.join('\n'));
    const ds = await readManifest(join(root, 'm.jsonl'));
    const report = await cleanSamples(ds.samples, { classes: ['cat', 'dog'], concurrency: 3 });
    const file = join(root, 'm.jsonl');
    expect(report.kept.map((s) => s.source.line)).toEqual([1, 3, 5]);
    expect(report.dropped.map((d) => [d.source.line, d.problems.map((p) => p.reason)])).toEqual([
      [2, ['duplicate']],
      [4, ['duplicate']],
      [6, ['missing-file']],
      [7, ['missing-file']],
      [8, ['unknown-label']],
      [9, ['missing-label']],
      [10, ['no-content']],
      [11, ['conflicting-duplicate']],
      [12, ['conflicting-duplicate']],
    ]);
    const detail = (line: number) => report.dropped.find((d) => d.source.line === line)!.problems[0]!.detail;
    expect(detail(2)).toBe(`same content as m.jsonl:1 (${file}:1)`);
    expect(detail(6)).toBe(`image file not found: ${join(root, 'gone.png')}`);
    expect(detail(7)).toBe(`image file is not a file: ${join(root, 'dir.png')}`);
    expect(detail(8)).toBe('label "cta" is not one of cat, dog (did you mean "cat"?)');
    expect(detail(11)).toMatch(/same content as m.jsonl:12 .* with labels \[cat\] vs \[dog\]/);
    expect(report.summary).toEqual({
      total: 12,
      kept: 3,
      dropped: 9,
      byReason: { duplicate: 2, 'missing-file': 2, 'unknown-label': 1, 'missing-label': 1, 'no-content': 1, 'conflicting-duplicate': 2 },
      classBalanceBefore: { '(unlabeled)': 1, cat: 6, cta: 1, dog: 4 },
      classBalanceAfter: { '(unlabeled)': 0, cat: 1, cta: 0, dog: 2 },
    });
    const text = formatCleaningReport(report);
    expect(text.split('\n').slice(0, 4)).toEqual([
      'cleaning: 12 rows, 3 kept, 9 dropped',
      'dropped per reason:',
      '  conflicting-duplicate  2',
      '  duplicate              2',
    ]);
    expect(text).toContain('class balance (before -> after):\n  (unlabeled)  1 -> 0\n  cat          6 -> 1');
    expect(text).toContain(`  ${file}:8  m.jsonl:8  unknown-label: label "cta" is not one of cat, dog (did you mean "cat"?)`);
    expect(text.split('\n').filter((l) => l.startsWith(`  ${file}:`))).toHaveLength(9);
    const short = formatCleaningReport(report, { maxRows: 2 });
    expect(short.endsWith('  ... and 7 more (see report.dropped)')).toBe(true);
  });

  it('keeps exactly the first of each content group on random data, and loses no row', async () => {
    const contents = Array.from({ length: 6 }, (_, i) => `content-${i}-${rand(1e9)}`);
    const files = Object.fromEntries(contents.map((c, i) => [`f${i}.wav`, c]));
    const root = await folder(files);
    const samples: Sample[] = Array.from({ length: 40 }, (_, i) => {
      const k = rand(contents.length);
      return { id: `s${i}`, audio: join(root, `f${k}.wav`), labels: [`c${k % 2}`], extra: { k }, source: { file: 'm', line: i + 1 } };
    });
    const progress: Array<[string, number, number]> = [];
    const report = await cleanSamples(samples, { onProgress: (phase, done, total) => progress.push([phase, done, total]) });
    // Progress counts every row once per phase, in order: all 40 checked, then the 40 valid ones hashed.
    expect(progress).toEqual([
      ...samples.map((_, i) => ['check', i + 1, 40]),
      ...samples.map((_, i) => ['hash', i + 1, 40]),
    ]);
    const firstOfEach = samples.filter((s, i) => samples.findIndex((t) => t.extra.k === s.extra.k) === i);
    expect(report.kept).toEqual(firstOfEach);
    expect(report.kept.length + report.dropped.length).toBe(samples.length);
    expect(report.dropped.every((d) => d.problems[0]!.reason === 'duplicate')).toBe(true);
    const noDup = await cleanSamples(samples, { duplicates: false });
    expect(noDup.kept).toEqual(samples);
  });

  it('runs validators that modality libs register, and names the sample when one throws', async () => {
    const name = `short-text-${rand(1e9)}`;
    sampleValidators.register(name, (s) =>
      s.text !== undefined && s.text.length < 3 ? { reason: 'short-text', field: 'text', detail: `only ${s.text.length} characters` } : undefined,
    );
    const samples: Sample[] = ['ok text', 'no', 'fine'].map((text, i) => ({ id: `t${i}`, text, labels: ['x'], extra: {}, source: { file: 'm.csv', line: i + 2 } }));
    const report = await cleanSamples(samples, { validators: [name, 'missing-label'] });
    expect(report.dropped).toEqual([
      { id: 't1', source: { file: 'm.csv', line: 3 }, labels: ['x'], problems: [{ reason: 'short-text', field: 'text', detail: 'only 2 characters' }] },
    ]);
    const broken = `broken-${rand(1e9)}`;
    sampleValidators.register(broken, () => {
      throw new Error('decoder crashed');
    });
    await expect(cleanSamples(samples, { validators: [broken] })).rejects.toThrow(DataError);
    await expect(cleanSamples(samples, { validators: [broken] })).rejects.toThrow(/decoder crashed \(sample t0 \(file m.csv line 2\)\)/);
    await expect(cleanSamples(samples, { validators: ['missing-lable'] })).rejects.toThrow(/Did you mean "missing-label"\?/);
  });
});

describe('content keys', () => {
  it('normalizes text and keys samples by every modality they carry', async () => {
    expect(normalizeText('  Ｓeven\t\nEIGHT ')).toBe('seven eight');
    const root = await folder({ 'x.png': 'X', 'y.png': 'X', 'z.png': 'Z' });
    const s = (image: string, text?: string): Sample => ({ id: image, image: join(root, image), text, labels: [], extra: {}, source: { file: 'm' } });
    expect(await sampleContentKey(s('x.png', 'Hi'))).toBe(await sampleContentKey(s('y.png', ' hi')));
    expect(await sampleContentKey(s('x.png', 'Hi'))).not.toBe(await sampleContentKey(s('z.png', 'Hi')));
    expect(await sampleContentKey(s('x.png'))).not.toBe(await sampleContentKey(s('x.png', '')));
  });
});
