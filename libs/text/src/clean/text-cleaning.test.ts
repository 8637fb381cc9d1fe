import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { cleanSamples, readClassFolders, readManifest, sampleValidators } from '@omnitrain/data';
import type { Sample } from '@omnitrain/data';
import { DEFAULT_MAX_TEXT_CHARS, loadSampleText, loadSampleTexts, textValidator } from '@omnitrain/text';

let dir: string;
let manifest: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-text-clean-'));
  await mkdir(join(dir, 'texts'));
  await writeFile(join(dir, 'texts', 'seven.txt'), '\uFEFFseven, with typos: sevn');
  await writeFile(join(dir, 'texts', 'blank.txt'), ' \n\t ');
  manifest = join(dir, 'm.jsonl');
  const rows = [
    { id: 'inline', text: 'three', label: '3' },
    { id: 'file', text: 'texts/seven.txt', label: '7' },
    { id: 'blank', text: ' \u3000 ', label: '1' }, // an ideographic space: blank after NFKC
    { id: 'missing', text: 'texts/nope.txt', label: '2' },
    { id: 'blank-file', text: 'texts/blank.txt', label: '4' },
    { id: 'long', text: 'x'.repeat(DEFAULT_MAX_TEXT_CHARS + 1), label: '5' },
    { id: 'same-as-file', text: 'seven, with typos: sevn', label: '7' },
  ];
  await writeFile(manifest, rows.map((r) => JSON.stringify(r)).join('\n'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const byId = async (id: string): Promise<Sample> => (await readManifest(manifest)).samples.find((s) => s.id === id)!;

describe('loadSampleText', () => {
  it('returns inline text as is and reads .txt paths relative to the manifest, without the BOM', async () => {
    expect(await loadSampleText(await byId('inline'))).toBe('three');
    expect(await loadSampleText(await byId('file'))).toBe('seven, with typos: sevn');
    expect(await loadSampleText(await byId('file'), { mode: 'inline' })).toBe('texts/seven.txt');
    expect(await loadSampleText({ id: 'x', labels: [], extra: {}, source: { file: manifest, line: 1 } })).toBeUndefined();
  });

  it('names the row and the file when the file cannot be read', async () => {
    const error = await loadSampleText(await byId('missing')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).where).toBe(`file ${manifest} line 4, field text`);
    expect((error as Error).message).toContain(join(dir, 'texts', 'nope.txt'));
    await expect(loadSampleText(await byId('inline'), { mode: 'path' })).rejects.toThrow(/ENOENT for .*three/);
  });

  it('leaves class-folder texts inline even when they look like a path', async () => {
    await mkdir(join(dir, 'folders', 'note'), { recursive: true });
    await writeFile(join(dir, 'folders', 'note', 'a.txt'), 'see readme.txt');
    const ds = await readClassFolders(join(dir, 'folders'), { modality: 'text' });
    expect(await loadSampleText(ds.samples[0]!)).toBe('see readme.txt');
  });

  it('loads many samples, replacing paths by contents', async () => {
    const ds = await readManifest(manifest);
    const ok = ds.samples.filter((s) => s.id !== 'missing');
    const loaded = await loadSampleTexts(ok);
    expect(loaded.map((s) => s.text)).toEqual(await Promise.all(ok.map((s) => loadSampleText(s))));
    expect(loaded[0]).toBe(ok[0]); // unchanged samples are not copied
    await expect(loadSampleTexts(ds.samples)).rejects.toThrow(/missing/);
  });
});

describe('the text sample validator', () => {
  it('is registered in data\'s cleaning and drops blank, unreadable and too long texts with a reason each', async () => {
    expect(sampleValidators.list()).toContain('text');
    const report = await cleanSamples((await readManifest(manifest)).samples, { duplicates: false });
    const reasons = Object.fromEntries(report.dropped.map((d) => [d.id, d.problems.map((p) => p.reason)]));
    expect(reasons).toEqual({
      blank: ['empty-text'],
      missing: ['unreadable-text'],
      'blank-file': ['empty-text'],
      long: ['text-too-long'],
    });
    expect(report.kept.map((s) => s.id)).toEqual(['inline', 'file', 'same-as-file']);
    expect(report.dropped.find((d) => d.id === 'blank-file')!.problems[0]!.detail).toBe('text file texts/blank.txt is blank');
  });

  it('finds duplicates by content once paths are loaded', async () => {
    const samples = await loadSampleTexts((await readManifest(manifest)).samples.filter((s) => s.id !== 'missing'));
    const report = await cleanSamples(samples, { validators: ['text'] });
    expect(report.dropped.find((d) => d.id === 'same-as-file')!.problems[0]!.reason).toBe('duplicate');
  });

  it('takes other limits when registered under another name', async () => {
    const check = textValidator({ maxChars: 5 });
    expect(await check(await byId('inline'), {})).toBeUndefined();
    expect(await check(await byId('file'), {})).toEqual({
      reason: 'text-too-long',
      field: 'text',
      detail: 'text file texts/seven.txt has 23 characters, more than 5',
    });
  });
});
