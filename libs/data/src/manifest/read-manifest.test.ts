import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { parseManifest, readManifest, sortClassNames } from '@omnitrain/data';
import { tempTree } from '../../test-fixtures/temp-tree.js';

async function tempFile(name: string, text: string): Promise<string> {
  return join(await tempTree({ [name]: text }), name);
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('readManifest', () => {
  it('reads the same samples from JSONL and CSV, resolving paths against the manifest', async () => {
    const jsonl = await tempFile(
      'train.jsonl',
      [
        '{"image":"img/1.png","audio":"../wav/1.wav","text":"seven","label":7,"split":"train","speaker":"f1"}',
        '',
        '{"id":"x2","image":"/abs/2.png","labels":["cat","dog"],"speaker":"m2"}',
      ].join('\n'),
    );
    const ds = await readManifest(jsonl);
    const dir = join(jsonl, '..');
    expect(ds.samples).toEqual([
      {
        id: 'train.jsonl:1',
        image: join(dir, 'img/1.png'),
        audio: join(dir, '../wav/1.wav'),
        text: 'seven',
        labels: ['7'],
        split: 'train',
        extra: { speaker: 'f1' },
        source: { file: jsonl, line: 1 },
      },
      { id: 'x2', image: '/abs/2.png', labels: ['cat', 'dog'], extra: { speaker: 'm2' }, source: { file: jsonl, line: 3 } },
    ]);
    expect(ds.classes).toEqual(['7', 'cat', 'dog']);
    expect(ds.multiLabel).toBe(true);

    const csv = await tempFile(
      'train.csv',
      '\uFEFFimage,audio,text,label,split,speaker\r\nimg/1.png,../wav/1.wav,"seven, ""7""\r\n",7,train,f1\r\n,,,,,\r\n',
    );
    const fromCsv = await readManifest(csv);
    expect(fromCsv.samples[0]).toMatchObject({
      id: 'train.csv:2',
      image: join(csv, '..', 'img/1.png'),
      text: 'seven, "7"\r\n',
      labels: ['7'],
      extra: { speaker: 'f1' },
    });
    expect(fromCsv.samples[1]).toEqual({ id: 'train.csv:4', labels: [], extra: { speaker: '' }, source: { file: csv, line: 4 } });
    expect(fromCsv.multiLabel).toBe(false);
  });

  it('splits a CSV labels cell on the separator and keeps given classes in their order', () => {
    const ds = parseManifest('text,labels\nhi,b; a ;;b\n', 'm.csv', { classes: ['b', 'a'] });
    expect(ds.samples[0]!.labels).toEqual(['b', 'a']);
    expect(ds.classes).toEqual(['b', 'a']);
    expect(parseManifest('text,labels\nhi,a|c\n', 'm.csv', { labelSeparator: '|' }).samples[0]!.labels).toEqual(['a', 'c']);
  });

  it('names the file, line and field of a bad label, with a suggestion', () => {
    const rows = Array.from({ length: 11 }, () => '{"text":"x","label":"cat"}');
    const e = thrown(() => parseManifest([...rows, '{"text":"x","label":"cta"}'].join('\n'), 'train.jsonl', { classes: ['cat', 'dog'] }));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe(
      'data.readManifest: expected a label in "cat, dog", got "cta" (file train.jsonl line 12, field label). Hint: did you mean "cat"?',
    );
  });

  it('rejects malformed rows with their place', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['m.jsonl', '{"text":"a"}\n{"text": oops}\n', /one JSON object per line.*\(file m.jsonl line 2\)/],
      ['m.jsonl', '[1,2]\n', /expected a JSON object, got \[1,2\] \(file m.jsonl line 1\)/],
      ['m.jsonl', '{"image":3}\n', /expected a string, got 3 \(file m.jsonl line 1, field image\)/],
      ['m.jsonl', '{"text":"a","label":"x","labels":["y"]}\n', /either label or labels.*line 1, field labels/],
      ['m.jsonl', '{"text":"a","label":{"a":1}}\n', /a label \(string or number\), got \{"a":1\} \(file m.jsonl line 1, field label\)/],
      ['m.csv', 'text,label\na,b,c\n', /expected 2 fields \(text, label\), got 3 \(file m.csv line 2\)/],
      ['m.csv', 'text,text\na,b\n', /distinct, non-empty column names.*line 1/],
      ['m.csv', 'imgae,label\na.png,cat\n', /an image, audio or text column.*Hint: rename "imgae" to "image"\?/],
      ['m.jsonl', '{"id":"a","text":"x"}\n{"id":"a","text":"y"}\n', /a distinct id per row, got id "a" again \(first at line 1\) \(file m.jsonl line 2, field id\)/],
      ['m.txt', 'text\n', /expected a .jsonl, .ndjson or .csv manifest, got ".txt"/],
    ];
    for (const [file, text, message] of cases) {
      const e = thrown(() => parseManifest(text, file));
      expect(e, `${file}: ${text}`).toBeInstanceOf(DataError);
      expect(e.message).toMatch(message);
    }
    expect(parseManifest('text\n', 'm.txt', { format: 'csv' }).samples).toEqual([]);
  });

  it('names a manifest it cannot read', async () => {
    await expect(readManifest('/nonexistent/m.csv')).rejects.toThrow(
      'data.readManifest: expected a readable manifest file, got ENOENT (file /nonexistent/m.csv)',
    );
  });
});

describe('sortClassNames', () => {
  it('sorts numbers numerically and other names by code unit, without repeats', () => {
    expect(sortClassNames(['10', '9', '2', '9', '0'])).toEqual(['0', '2', '9', '10']);
    expect(sortClassNames(['dog', 'Cat', 'cat', 'dog'])).toEqual(['Cat', 'cat', 'dog']);
    expect(sortClassNames(['1', 'a'])).toEqual(['1', 'a']);
  });
});
