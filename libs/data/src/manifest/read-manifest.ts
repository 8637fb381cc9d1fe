import { readFile } from 'node:fs/promises';
import { DataError, nearest } from '@omnitrain/core';
import type { Dataset, Sample } from './sample.js';
import { sampleWhere } from './sample.js';
import { parseCsv } from './parse-csv.js';
import { manifestRowToSample } from './manifest-row.js';
import { sortClassNames } from './sort-class-names.js';

/** Options of {@link readManifest} and {@link parseManifest}. */
export interface ManifestOptions {
  /** `jsonl` or `csv`. Default: from the file's extension (`.csv`; `.jsonl`, `.ndjson`). */
  format?: 'jsonl' | 'csv';
  /** The allowed labels, in class-id order. Default: every label found, sorted (see sortClassNames). */
  classes?: readonly string[];
  /** Separator of the labels in a CSV `labels` cell. Default `;`. */
  labelSeparator?: string;
}

const MODALITIES = ['image', 'audio', 'text'];

/**
 * Reads a manifest file: JSONL (one JSON object per line) or CSV (RFC 4180, with a header row),
 * one row per sample with optional `image`, `audio` (paths, relative to the manifest's folder),
 * `text`, `label` or `labels`, `split` and `id` columns; other columns are kept in `extra`.
 *
 * @param file Path of the manifest.
 * @param options Format, allowed classes, label separator (see {@link ManifestOptions}).
 * @throws DataError naming the file, line and field of the first malformed row.
 * @example
 * const ds = await readManifest('data/train.csv', { classes: ['cat', 'dog'] });
 * ds.samples[0].image; // '/abs/path/data/img/0001.png'
 */
export async function readManifest(file: string, options: ManifestOptions = {}): Promise<Dataset> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new DataError({
      op: 'data.readManifest',
      expected: 'a readable manifest file',
      received: e.code ?? e.message,
      where: `file ${file}`,
      cause: e,
    });
  });
  return parseManifest(text, file, options);
}

/**
 * Parses manifest text already in memory; see {@link readManifest}.
 *
 * @param text The manifest's content.
 * @param file Its path: paths in it resolve against this file's folder; errors name it.
 * @param options Format (default from `file`'s extension), classes, label separator.
 * @example parseManifest('{"text":"hi","label":"greeting"}\n', 'mem.jsonl').samples.length // 1
 */
export function parseManifest(text: string, file: string, options: ManifestOptions = {}): Dataset {
  const format = options.format ?? formatOf(file);
  const rows = format === 'csv' ? csvRows(text, file) : jsonlRows(text, file);
  const ctx = { file, classes: options.classes, labelSeparator: options.labelSeparator };
  const samples = rows.map((r) => manifestRowToSample(r.values, r.line, ctx));
  checkModalityColumns(rows.map((r) => r.values), file);
  checkUniqueIds(samples);
  return {
    samples,
    classes: options.classes ? [...options.classes] : sortClassNames(samples.flatMap((s) => s.labels)),
    multiLabel: rows.some((r) => !isEmpty(r.values.labels)),
    ignored: [],
  };
}

interface Row {
  line: number;
  values: Record<string, unknown>;
}

function formatOf(file: string): 'jsonl' | 'csv' {
  const ext = file.toLowerCase().split('.').pop();
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  throw new DataError({
    op: 'data.readManifest',
    expected: 'a .jsonl, .ndjson or .csv manifest',
    received: `".${ext}"`,
    where: `file ${file}`,
    hint: 'pass { format: "jsonl" } or { format: "csv" }',
  });
}

function jsonlRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new DataError({
        op: 'data.readManifest',
        expected: 'one JSON object per line',
        received: `${JSON.stringify(raw.slice(0, 40))} (${(e as Error).message})`,
        where: `file ${file} line ${i + 1}`,
        cause: e,
      });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError({
        op: 'data.readManifest',
        expected: 'a JSON object',
        received: raw.slice(0, 40),
        where: `file ${file} line ${i + 1}`,
      });
    }
    rows.push({ line: i + 1, values: value as Record<string, unknown> });
  }
  return rows;
}

function csvRows(text: string, file: string): Row[] {
  const [header, ...records] = parseCsv(text, file);
  if (header === undefined) return [];
  const names = header.fields.map((n) => n.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '' || seen.has(name)) {
      throw new DataError({
        op: 'data.readManifest',
        expected: 'a header row of distinct, non-empty column names',
        received: JSON.stringify(header.fields.join(',')),
        where: `file ${file} line ${header.line}`,
      });
    }
    seen.add(name);
  }
  return records.map((r) => {
    if (r.fields.length !== names.length) {
      throw new DataError({
        op: 'data.readManifest',
        expected: `${names.length} fields (${names.join(', ')})`,
        received: `${r.fields.length}`,
        where: `file ${file} line ${r.line}`,
        hint: 'quote fields that contain commas or line breaks',
      });
    }
    return { line: r.line, values: Object.fromEntries(names.map((n, i) => [n, r.fields[i]])) };
  });
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** A manifest with no image, audio or text anywhere almost always has a misspelled column. */
function checkModalityColumns(rows: Array<Record<string, unknown>>, file: string): void {
  if (rows.length === 0 || rows.some((r) => MODALITIES.some((m) => !isEmpty(r[m])))) return;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const guess = columns.map((c) => [c, nearest(c, MODALITIES)] as const).find(([, n]) => n);
  throw new DataError({
    op: 'data.readManifest',
    expected: 'an image, audio or text column with values',
    received: `columns ${columns.join(', ')}`,
    where: `file ${file}`,
    hint: guess ? `rename "${guess[0]}" to "${guess[1]}"?` : 'name the media columns image, audio, text',
  });
}

function checkUniqueIds(samples: readonly Sample[]): void {
  const first = new Map<string, Sample>();
  for (const s of samples) {
    const prev = first.get(s.id);
    if (prev) {
      throw new DataError({
        op: 'data.readManifest',
        expected: 'a distinct id per row',
        received: `id "${s.id}" again (first at line ${prev.source.line})`,
        where: sampleWhere(s.source, 'id'),
      });
    }
    first.set(s.id, s);
  }
}
