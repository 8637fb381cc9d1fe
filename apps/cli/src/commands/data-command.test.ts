import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '@omnitrain/cli';
import { writeImageManifest } from '../../test-fixtures/image-manifest.js';
import type { ImageManifest } from '../../test-fixtures/image-manifest.js';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';

describe('omnitrain data', () => {
  let data: ImageManifest;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-cli-data-'));
    data = await writeImageManifest(dir, 4 + Math.floor(Math.random() * 6), ['cat', 'dog', 'owl']);
  });

  it('data inspect counts rows, classes and modalities', async () => {
    const r = await runOmnitrain(['data', 'inspect', data.manifest]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`rows: ${data.rows}`);
    expect(r.stdout).toContain(`image ${data.rows}, audio 0, text 0`);
    const labels = { ...data.labels };
    (labels['cat'] ??= []).push(data.corruptId);
    for (const [label, ids] of Object.entries(labels)) {
      expect(r.stdout).toMatch(new RegExp(`^${label}\\s+${ids.length}\\s+${ids.length}\\s+0\\s+0$`, 'm'));
    }
  });

  it('data clean drops exactly the corrupt file and lists it in the report', async () => {
    const report = join(data.manifest, '..', 'report.jsonl');
    const r = await runOmnitrain(['data', 'clean', data.manifest, '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`cleaning: ${data.rows} rows, ${data.rows - 1} kept, 1 dropped`);
    const lines = (await readFile(report, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'summary', total: data.rows, kept: data.rows - 1, dropped: 1 });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ type: 'dropped', id: data.corruptId, file: data.manifest, line: data.rows });
    expect((lines[1]!['problems'] as Array<{ reason: string }>)[0]!.reason).toBe('unreadable-image');
  });

  it('a missing manifest is a data error (exit 3) naming the path', async () => {
    const missing = join(tmpdir(), `nope-${Math.random().toString(36).slice(2)}.jsonl`);
    const r = await runOmnitrain(['data', 'clean', missing]);
    expect(r.code).toBe(EXIT_CODES.data);
    expect(r.stderr).toContain(missing);
  });
});
