import { dirname, resolve } from 'node:path';
import { DataError, nearest } from '@omnitrain/core';
import type { Sample, SampleSource } from './sample.js';
import { sampleWhere } from './sample.js';

/** The columns a manifest row may have besides its extra ones. */
export const MANIFEST_COLUMNS = ['id', 'image', 'audio', 'text', 'label', 'labels', 'split'] as const;

/** How {@link manifestRowToSample} reads one row. */
export interface ManifestRowContext {
  /** The manifest file as the caller named it; media paths resolve against its folder. */
  file: string;
  /** When given, every label must be one of these. */
  classes?: readonly string[];
  /** Separator of the labels in a CSV `labels` cell (default `;`). */
  labelSeparator?: string;
}

/**
 * Turns one manifest row (CSV cells or a JSONL object) into a {@link Sample}. Empty strings and
 * `null` count as absent; `image` and `audio` resolve against the manifest's folder; numeric
 * labels become strings; unknown columns go to `extra`.
 *
 * @param row The row's values by column.
 * @param line The row's 1-based line in the manifest.
 * @param ctx The manifest file, the allowed classes and the label separator.
 * @throws DataError naming the file, line and field when a value has the wrong type, a label is
 *   not one of `ctx.classes`, or a row has both `label` and `labels`.
 * @example
 * manifestRowToSample({ image: 'a.png', label: 3 }, 2, { file: 'data/m.jsonl' })
 * // { id: 'm.jsonl:2', image: '<cwd>/data/a.png', labels: ['3'], extra: {}, ... }
 */
export function manifestRowToSample(
  row: Record<string, unknown>,
  line: number,
  ctx: ManifestRowContext,
): Sample {
  const source: SampleSource = { file: ctx.file, line };
  const text = (field: string): string | undefined => readString(row[field], source, field);
  const base = dirname(ctx.file);
  const sample: Sample = {
    id: readId(row.id, source),
    labels: readLabels(row, source, ctx),
    extra: {},
    source,
  };
  const image = text('image');
  const audio = text('audio');
  const body = text('text');
  const split = text('split');
  if (image !== undefined) sample.image = resolve(base, image);
  if (audio !== undefined) sample.audio = resolve(base, audio);
  if (body !== undefined) sample.text = body;
  if (split !== undefined) sample.split = split;
  for (const [key, value] of Object.entries(row)) {
    if (!(MANIFEST_COLUMNS as readonly string[]).includes(key)) sample.extra[key] = value;
  }
  return sample;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function fail(source: SampleSource, field: string, expected: string, received: unknown, hint?: string): never {
  throw new DataError({
    op: 'data.readManifest',
    expected,
    received: String(JSON.stringify(received)),
    where: sampleWhere(source, field),
    hint,
  });
}

function readString(value: unknown, source: SampleSource, field: string): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') fail(source, field, 'a string', value);
  return value;
}

function readId(value: unknown, source: SampleSource): string {
  if (isAbsent(value)) return `${baseName(source.file)}:${source.line}`;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return fail(source, 'id', 'a string or a number', value);
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function readLabel(value: unknown, source: SampleSource, field: string, classes?: readonly string[]): string {
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string' || value === '') fail(source, field, 'a label (string or number)', value);
  if (classes !== undefined && !classes.includes(value)) {
    const near = nearest(value, classes);
    fail(source, field, `a label in "${classes.join(', ')}"`, value, near && `did you mean "${near}"?`);
  }
  return value;
}

function readLabels(row: Record<string, unknown>, source: SampleSource, ctx: ManifestRowContext): string[] {
  const one = row.label;
  const many = row.labels;
  if (!isAbsent(one) && !isAbsent(many)) {
    fail(source, 'labels', 'either label or labels, not both', { label: one, labels: many });
  }
  if (!isAbsent(one)) return [readLabel(one, source, 'label', ctx.classes)];
  if (isAbsent(many)) return [];
  const list =
    typeof many === 'string'
      ? many.split(ctx.labelSeparator ?? ';').map((l) => l.trim()).filter((l) => l !== '')
      : many;
  if (!Array.isArray(list)) fail(source, 'labels', 'a list of labels', many);
  return [...new Set(list.map((l) => readLabel(l, source, 'labels', ctx.classes)))];
}
