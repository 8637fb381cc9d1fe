import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DataError } from '@omnitrain/core';
import { DEFAULT_EXTENSIONS, readClassFolders, readManifest } from '@omnitrain/data';
import type { Dataset, Modality } from '@omnitrain/data';

/** Manifest names looked for inside a folder, in this order. */
const MANIFEST_NAMES = ['manifest.jsonl', 'manifest.csv', 'manifest.ndjson'];

/** A dataset read from a path, and how it was read. */
export interface DatasetAt {
  dataset: Dataset;
  /** `manifest <file>` or `class folders <root> (<modality>)`. */
  readAs: string;
}

/**
 * Reads the dataset a command-line path names: a manifest file (JSONL or CSV), a folder holding
 * `manifest.jsonl` / `manifest.csv`, or a folder-per-class tree whose modality is the one most of
 * its files' extensions belong to (or `modality` when given).
 *
 * @param path A manifest file or a folder.
 * @param modality The class folders' modality. Default: guessed from the extensions.
 * @throws DataError naming the path when it is missing or holds nothing readable.
 *
 * @example
 * const { dataset, readAs } = await readDatasetAt('data/digits');
 */
export async function readDatasetAt(path: string, modality?: Modality): Promise<DatasetAt> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new DataError({
      op: 'cli.readDataset',
      expected: 'a manifest file or a dataset folder',
      received: e.code ?? e.message,
      where: `path ${path}`,
      hint: 'check the path, relative to the current directory',
      cause: e,
    });
  });
  if (info.isFile()) return { dataset: await readManifest(path), readAs: `manifest ${path}` };
  const entries = await readdir(path);
  const manifest = MANIFEST_NAMES.find((name) => entries.includes(name));
  if (manifest !== undefined) {
    const file = join(path, manifest);
    return { dataset: await readManifest(file), readAs: `manifest ${file}` };
  }
  const chosen = modality ?? (await guessModality(path));
  return { dataset: await readClassFolders(path, { modality: chosen }), readAs: `class folders ${path} (${chosen})` };
}

async function guessModality(root: string): Promise<Modality> {
  const counts: Record<Modality, number> = { image: 0, audio: 0, text: 0 };
  const entries = await readdir(root, { recursive: true });
  for (const entry of entries) {
    const ext = extname(String(entry)).toLowerCase();
    for (const m of Object.keys(counts) as Modality[]) if (DEFAULT_EXTENSIONS[m].includes(ext)) counts[m]++;
  }
  const [best, n] = (Object.entries(counts) as Array<[Modality, number]>).sort((a, b) => b[1] - a[1])[0]!;
  if (n === 0) {
    throw new DataError({
      op: 'cli.readDataset',
      expected: `a manifest (${MANIFEST_NAMES.join(', ')}) or class folders of ${Object.values(DEFAULT_EXTENSIONS).flat().join(' ')} files`,
      received: `${entries.length} entries, none of them readable`,
      where: `folder ${root}`,
    });
  }
  return best;
}
