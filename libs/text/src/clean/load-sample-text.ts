import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DataError } from '@omnitrain/core';
import { mapAhead, sampleWhere } from '@omnitrain/data';
import type { Sample } from '@omnitrain/data';

/** Options of {@link loadSampleText}. */
export interface LoadSampleTextOptions {
  /**
   * How to read a sample's `text` field: `'inline'` (it is the text), `'path'` (it is a UTF-8 file,
   * relative to the manifest's folder), or `'auto'`: a path when the sample is a manifest row and
   * the value is one line ending in `.txt`, else inline. Default `'auto'`.
   */
  mode?: 'auto' | 'inline' | 'path';
}

/** Options of {@link loadSampleTexts}. */
export interface LoadSampleTextsOptions extends LoadSampleTextOptions {
  /** Files read at once. Default 16. */
  concurrency?: number;
}

const TEXT_PATH = /^[^\r\n]+\.txt$/i;

/**
 * The text of a sample: the `text` field itself, or the contents of the `.txt` file it names
 * (resolved against the manifest's folder, UTF-8, byte-order mark dropped). Class-folder samples
 * already hold their file's text.
 *
 * @param sample A sample from a manifest or class folders.
 * @param options How `text` is read (see {@link LoadSampleTextOptions}).
 * @returns The text, or undefined when the sample has none.
 * @throws DataError naming the manifest row and the file when the file cannot be read.
 * @example
 * // manifest.jsonl: {"text": "texts/0001.txt", "label": "7"}
 * await loadSampleText(ds.samples[0]); // the contents of <manifest folder>/texts/0001.txt
 */
export async function loadSampleText(sample: Sample, options: LoadSampleTextOptions = {}): Promise<string | undefined> {
  const value = sample.text;
  if (value === undefined) return undefined;
  const mode = options.mode ?? 'auto';
  const isPath = mode === 'path' || (mode === 'auto' && sample.source.line !== undefined && TEXT_PATH.test(value.trim()));
  if (!isPath) return value;
  const file = resolve(dirname(sample.source.file), value.trim());
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new DataError({
      op: 'text.loadSampleText',
      expected: 'a readable UTF-8 text file',
      received: `${e.code ?? e.message} for ${file}`,
      where: sampleWhere(sample.source, 'text'),
      hint: 'text paths resolve against the manifest\'s folder; pass { mode: "inline" } if the field is the text itself',
      cause: e,
    });
  });
  return text.replace(/^\uFEFF/, '');
}

/**
 * Copies of the samples with each `.txt` path in `text` replaced by the file's contents (see
 * {@link loadSampleText}), so cleaning, duplicate detection and tokenization see the text itself.
 *
 * @param samples The samples, e.g. `dataset.samples`.
 * @param options Read mode and concurrency.
 * @throws DataError naming the first row whose file cannot be read.
 * @example const ds = await readManifest('data/m.jsonl'); const report = await cleanSamples(await loadSampleTexts(ds.samples));
 */
export async function loadSampleTexts(samples: readonly Sample[], options: LoadSampleTextsOptions = {}): Promise<Sample[]> {
  const out: Sample[] = [];
  const withText = async (s: Sample): Promise<Sample> => {
    const text = await loadSampleText(s, options);
    return text === s.text ? s : { ...s, text };
  };
  for await (const s of mapAhead(samples, withText, { concurrency: options.concurrency ?? 16, op: 'text.loadSampleTexts' })) {
    out.push(s);
  }
  return out;
}
