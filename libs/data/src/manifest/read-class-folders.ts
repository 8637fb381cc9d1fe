import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { DataError } from '@omnitrain/core';
import type { Dataset, Modality, Sample } from './sample.js';
import { sortClassNames } from './sort-class-names.js';

/** File extensions each modality reads from class folders by default (compared case-insensitively). */
export const DEFAULT_EXTENSIONS: Readonly<Record<Modality, readonly string[]>> = {
  image: ['.png', '.jpg', '.jpeg', '.webp'],
  audio: ['.wav'],
  text: ['.txt'],
};

/** Options of {@link readClassFolders}. */
export interface ClassFolderOptions {
  /** What the files are: `image` and `audio` files become paths, `text` files are read into `text`. */
  modality: Modality;
  /** Extensions to read, with the dot. Default: {@link DEFAULT_EXTENSIONS} of the modality. */
  extensions?: readonly string[];
  /** The classes, in class-id order. Default: every sub-folder of `root`, sorted (sortClassNames). */
  classes?: readonly string[];
}

/**
 * Reads a folder-per-class dataset, `root/<class>/<file>` (files in nested folders count for their
 * class too), for one modality. Files are taken in sorted path order; every file that is not made
 * into a sample (wrong extension, outside a class folder, in a folder that is not a listed class)
 * is listed in `ignored` with the reason.
 *
 * @param root The dataset's root folder.
 * @param options The modality, extensions and classes (see {@link ClassFolderOptions}).
 * @example
 * const ds = await readClassFolders('data/digits', { modality: 'image' });
 * ds.samples[0]; // { id: '0/a.png', image: '/abs/data/digits/0/a.png', labels: ['0'], ... }
 */
export async function readClassFolders(root: string, options: ClassFolderOptions): Promise<Dataset> {
  const extensions = (options.extensions ?? DEFAULT_EXTENSIONS[options.modality]).map((e) => e.toLowerCase());
  const ignored: Dataset['ignored'] = [];
  const top = await listFiles(root, '').catch((e: NodeJS.ErrnoException) => {
    throw new DataError({
      op: 'data.readClassFolders',
      expected: 'a folder with one sub-folder per class',
      received: e.code ?? e.message,
      where: `folder ${root}`,
      cause: e,
    });
  });
  const folders = top.filter((e) => e.dir).map((e) => e.rel);
  for (const f of top.filter((e) => !e.dir)) ignored.push({ file: join(root, f.rel), reason: 'not in a class folder' });
  const classes = options.classes ? [...options.classes] : sortClassNames(folders);
  for (const f of folders.filter((name) => !classes.includes(name))) {
    ignored.push({ file: join(root, f), reason: 'folder is not one of the classes' });
  }
  const samples: Sample[] = [];
  for (const label of classes.filter((c) => folders.includes(c))) {
    for (const rel of await walk(root, label)) {
      const file = join(root, rel);
      if (!extensions.includes(extname(rel).toLowerCase())) {
        ignored.push({ file, reason: `extension is not one of ${extensions.join(', ')}` });
        continue;
      }
      samples.push(await toSample(file, rel, label, options.modality));
    }
  }
  return { samples, classes, multiLabel: false, ignored };
}

interface Entry {
  rel: string;
  dir: boolean;
}

async function listFiles(root: string, rel: string): Promise<Entry[]> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  const out: Entry[] = [];
  for (const e of entries) {
    const path = rel === '' ? e.name : `${rel}/${e.name}`;
    const dir = e.isDirectory() || (e.isSymbolicLink() && (await stat(join(root, path))).isDirectory());
    out.push({ rel: path, dir });
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** Every file under `root/rel`, as paths relative to `root` with `/`, in sorted order. */
async function walk(root: string, rel: string): Promise<string[]> {
  const files: string[] = [];
  for (const e of await listFiles(root, rel)) {
    if (e.dir) files.push(...(await walk(root, e.rel)));
    else files.push(e.rel);
  }
  return files;
}

async function toSample(file: string, rel: string, label: string, modality: Modality): Promise<Sample> {
  const sample: Sample = { id: rel, labels: [label], extra: {}, source: { file } };
  if (modality === 'text') {
    sample.text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  } else {
    sample[modality] = resolve(file);
  }
  return sample;
}
