/** The modalities a sample may carry. */
export type Modality = 'image' | 'audio' | 'text';

/** Where a sample came from: the manifest (or the file itself, for class folders) and its line. */
export interface SampleSource {
  /** The manifest file as the caller named it, or the sample's own file for class folders. */
  file: string;
  /** 1-based line of the row (the first line of a CSV record that spans several); absent for class folders. */
  line?: number;
}

/**
 * One training example: paths to its media, its inline text, its labels and where it came from.
 * Plain JSON, so samples travel to workers and into reports unchanged.
 *
 * @example
 * const s: Sample = {
 *   id: 'train.csv:2', image: '/data/img/0001.png', text: 'seven', labels: ['7'],
 *   split: 'train', extra: { speaker: 'f03' }, source: { file: 'train.csv', line: 2 },
 * };
 */
export interface Sample {
  /** Unique id: the manifest's `id` column, else `<manifest name>:<line>`, else `<class>/<file>`. */
  id: string;
  /** Absolute path of the image file. */
  image?: string;
  /** Absolute path of the audio file. */
  audio?: string;
  /** The text itself (class folders read `.txt` files into it). */
  text?: string;
  /** The labels: one for single-label data, any number for multi-label data, none if unlabeled. */
  labels: string[];
  /** The split named by the manifest's `split` column (`train`, `val`, `test`, ...), if any. */
  split?: string;
  /** Every other column, as read (CSV: strings; JSONL: JSON values). */
  extra: Record<string, unknown>;
  /** Where the row was read from, for error messages and cleaning reports. */
  source: SampleSource;
}

/**
 * A set of samples and its classes, as read from a manifest or a class-folder tree.
 *
 * @example
 * const ds = await readManifest('data/train.jsonl');
 * ds.classes; // ['cat', 'dog']
 */
export interface Dataset {
  samples: Sample[];
  /** The class names, sorted unless the caller gave them; a label's index is its class id. */
  classes: string[];
  /** Whether any row carries a `labels` list rather than one `label`. */
  multiLabel: boolean;
  /** Files seen but not made into samples (class folders: wrong extension), with the reason. */
  ignored: Array<{ file: string; reason: string }>;
}

/**
 * Formats a sample's place for messages: `file train.jsonl line 12, field label`.
 *
 * @param source Where the sample came from.
 * @param field The field at fault, if any.
 * @example sampleWhere({ file: 'a.csv', line: 3 }, 'image') // 'file a.csv line 3, field image'
 */
export function sampleWhere(source: SampleSource, field?: string): string {
  const line = source.line === undefined ? '' : ` line ${source.line}`;
  const f = field === undefined ? '' : `, field ${field}`;
  return `file ${source.file}${line}${f}`;
}
