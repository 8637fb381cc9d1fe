import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cleanSamples, readManifest, sampleValidators } from '@omnitrain/data';
import '@omnitrain/image';
import { encode, randomBytes, tempFiles } from '../../test-fixtures/images.js';

describe('image cleaning checks', () => {
  it('are registered in data\'s sampleValidators', () => {
    expect(sampleValidators.list()).toEqual(expect.arrayContaining(['unreadable-image', 'image-too-small']));
  });

  it('a cleaning run drops corrupt, truncated, unsupported and tiny images, naming each file', async () => {
    const good = await encode(randomBytes([16, 16, 3]), [16, 16, 3], 'png');
    const other = await encode(randomBytes([12, 20, 3]), [12, 20, 3], 'jpeg');
    const corrupt = Buffer.from(good);
    corrupt.fill(0x33, 50, 120);
    const root = await tempFiles({
      'good.png': good,
      'other.jpg': other,
      'corrupt.png': corrupt,
      'cut.jpg': other.subarray(0, other.length - 100),
      'fake.png': 'GIF89a pretending',
      'tiny.png': await encode(randomBytes([4, 4, 3]), [4, 4, 3], 'png'),
    });
    const rows = ['good.png', 'other.jpg', 'corrupt.png', 'cut.jpg', 'fake.png', 'tiny.png', 'gone.png'];
    await writeFile(join(root, 'm.jsonl'), rows.map((image, i) => JSON.stringify({ image, label: String(i % 2) })).join('\n'));
    const ds = await readManifest(join(root, 'm.jsonl'));
    const report = await cleanSamples(ds.samples, { classes: ['0', '1'] });
    expect(report.kept.map((s) => s.source.line)).toEqual([1, 2]);
    expect(report.dropped.map((d) => [d.source.line, d.problems.map((p) => p.reason)])).toEqual([
      [3, ['unreadable-image']],
      [4, ['unreadable-image']],
      [5, ['unreadable-image']],
      [6, ['image-too-small']],
      [7, ['missing-file']],
    ]);
    const detail = (line: number) => report.dropped.find((d) => d.source.line === line)!.problems[0]!.detail;
    expect(detail(3)).toMatch(new RegExp(`corrupt or truncated file .*\\(file ${join(root, 'corrupt.png')}\\)`));
    expect(detail(4)).toMatch(/valid JPEG image, got a corrupt or truncated file/);
    expect(detail(4)).toContain(join(root, 'cut.jpg'));
    expect(detail(5)).toMatch(/a GIF image, which is not supported .*fake\.png/);
    expect(detail(6)).toBe(`image is 4x4, smaller than 8x8: ${join(root, 'tiny.png')}`);
    expect(report.summary.byReason).toEqual({ 'unreadable-image': 3, 'image-too-small': 1, 'missing-file': 1 });
  });
});
