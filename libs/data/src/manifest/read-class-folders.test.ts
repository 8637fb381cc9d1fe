import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClassFolders } from '@omnitrain/data';
import { tempTree as tree } from '../../test-fixtures/temp-tree.js';

describe('readClassFolders', () => {
  it('makes one sample per file of the modality, in sorted order, and lists every file it ignored', async () => {
    const root = await tree({
      '10/b.PNG': 'x',
      '10/a.jpg': 'x',
      '10/deep/c.webp': 'x',
      '9/z.png': 'x',
      '9/notes.md': 'x',
      'README.txt': 'x',
    });
    const ds = await readClassFolders(root, { modality: 'image' });
    expect(ds.classes).toEqual(['9', '10']);
    expect(ds.samples.map((s) => [s.id, s.labels[0], s.image])).toEqual([
      ['9/z.png', '9', join(root, '9/z.png')],
      ['10/a.jpg', '10', join(root, '10/a.jpg')],
      ['10/b.PNG', '10', join(root, '10/b.PNG')],
      ['10/deep/c.webp', '10', join(root, '10/deep/c.webp')],
    ]);
    expect(ds.ignored).toEqual([
      { file: join(root, 'README.txt'), reason: 'not in a class folder' },
      { file: join(root, '9/notes.md'), reason: 'extension is not one of .png, .jpg, .jpeg, .webp' },
    ]);
  });

  it('reads text files into the sample and honours given classes and extensions', async () => {
    const root = await tree({ 'pos/1.txt': '\uFEFFgreat film\n', 'neg/1.txt': 'dull', 'neg/2.text': 'bad', 'other/1.txt': '?' });
    const ds = await readClassFolders(root, { modality: 'text', classes: ['neg', 'pos'], extensions: ['.txt', '.text'] });
    expect(ds.samples.map((s) => [s.id, s.text, s.labels])).toEqual([
      ['neg/1.txt', 'dull', ['neg']],
      ['neg/2.text', 'bad', ['neg']],
      ['pos/1.txt', 'great film', ['pos']],
    ]);
    expect(ds.ignored).toEqual([{ file: join(root, 'other'), reason: 'folder is not one of the classes' }]);
    await expect(readClassFolders(join(root, 'nope'), { modality: 'text' })).rejects.toThrow(
      `data.readClassFolders: expected a folder with one sub-folder per class, got ENOENT (folder ${join(root, 'nope')})`,
    );
  });
});
