// Bad input: a run that does not exist, a half-written run folder, a missing (or wrong) runs
// folder, unsafe file paths. Each gets a clear answer; the server keeps serving.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@omnitrain/core';
import { startDashboard } from '@omnitrain/dashboard';
import type { DashboardServer, RunDetail } from '@omnitrain/dashboard';
import { describe, expect, it, onTestFinished } from 'vitest';
import { metricDrafts, runStart, stamp, toJsonl } from '../../test-fixtures/event-lines.js';
import { writeRichRun } from '../../test-fixtures/rich-run.js';
import { tempDir } from '../../test-fixtures/temp-dir.js';

async function start(runsDir: string): Promise<DashboardServer> {
  const dashboard = await startDashboard({ runsDir, pollMs: 60_000 });
  onTestFinished(() => dashboard.close());
  return dashboard;
}

async function get(dashboard: DashboardServer, path: string): Promise<{ status: number; text: string; type: string }> {
  const response = await fetch(new URL(path, dashboard.url));
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') ?? '' };
}

describe('dashboard: bad input', () => {
  it('starts on a missing runs folder (creating it) and says where it looks; refuses a file as the runs folder', async () => {
    const root = await tempDir();
    const runsDir = join(root, 'not', 'there', 'yet');
    const dashboard = await start(runsDir);
    const health = JSON.parse((await get(dashboard, '/api/health')).text) as { runsDir: string; runs: number };
    expect(health).toMatchObject({ runsDir, runs: 0 });
    expect(JSON.parse((await get(dashboard, '/api/runs')).text)).toMatchObject({ total: 0, runs: [] });
    // a run appearing later is picked up
    await mkdir(join(runsDir, 'late'));
    await writeFile(join(runsDir, 'late', 'events.jsonl'), toJsonl(stamp('late', [runStart('late')])));
    await dashboard.poll();
    expect(JSON.parse((await get(dashboard, '/api/runs')).text)).toMatchObject({ total: 1 });

    const file = join(root, 'runs.txt');
    await writeFile(file, 'not a folder');
    const error = await startDashboard({ runsDir: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/runsDir/);
  });

  it('answers a run, series, stream or search that does not exist with a 404 naming it and a hint', async () => {
    const runsDir = await tempDir();
    await writeRichRun(runsDir, 'mnist-a');
    const dashboard = await start(runsDir);
    for (const path of ['/api/runs/mnist-b', '/api/runs/mnist-b/series?name=loss', '/api/runs/mnist-b/samples', '/api/runs/mnist-b/files/x.png', '/api/runs/mnist-b/stream', '/api/compare?runs=mnist-a,mnist-b']) {
      const answer = await get(dashboard, path);
      expect(answer.status, path).toBe(404);
      const body = JSON.parse(answer.text) as { error: string; hint: string };
      expect(body.error, path).toContain('"mnist-b"');
      expect(body.hint, path).toContain('did you mean "mnist-a"');
    }
    const search = await get(dashboard, '/api/trials?search=search-mnist-x');
    expect(search.status).toBe(404);
    expect(JSON.parse(search.text)).toMatchObject({ error: expect.stringContaining('"search-mnist-x"'), hint: expect.stringContaining('search-mnist-a') });
    // and the server still serves
    expect((await get(dashboard, '/api/runs/mnist-a')).status).toBe(200);
  });

  it('shows a half-written run folder (truncated last line) with what it could read, and catches up when the line completes', async () => {
    const runsDir = await tempDir();
    await mkdir(join(runsDir, 'half'));
    const values = Array.from({ length: 8 }, () => Math.random());
    const complete = toJsonl(stamp('half', [runStart('half'), ...metricDrafts('loss', 'train', values)]));
    const last = toJsonl(stamp('half', metricDrafts('loss', 'train', [Math.random()], () => 8), 9));
    const cut = 1 + Math.floor(Math.random() * (last.length - 2));
    await writeFile(join(runsDir, 'half', 'events.jsonl'), complete + last.slice(0, cut));
    const dashboard = await start(runsDir);
    const run = JSON.parse((await get(dashboard, '/api/runs/half')).text) as RunDetail;
    expect(run).toMatchObject({ state: 'running', lastStep: 7, tornBytes: cut });
    const series = JSON.parse((await get(dashboard, '/api/runs/half/series?name=loss')).text) as { values: number[] };
    expect(series.values).toEqual(values);
    await writeFile(join(runsDir, 'half', 'events.jsonl'), complete + last);
    await dashboard.poll();
    expect(JSON.parse((await get(dashboard, '/api/runs/half')).text)).toMatchObject({ lastStep: 8, tornBytes: 0 });
  });

  it('serves sample media from inside the run folder only: no path traversal, no symlink escape', async () => {
    const root = await tempDir();
    const runsDir = join(root, 'runs');
    const rich = await writeRichRun(runsDir, 'media');
    const secret = `secret-${Math.random()}`;
    await writeFile(join(root, 'secret.txt'), secret);
    await writeFile(join(runsDir, 'other.txt'), secret);
    await symlink(join(root, 'secret.txt'), join(rich.dir, 'samples', 'link.txt'));
    const dashboard = await start(runsDir);

    const image = await get(dashboard, `/api/runs/media/files/${rich.media.image}`);
    expect(image).toMatchObject({ status: 200, type: 'image/svg+xml' });
    expect(image.text).toContain('<svg');
    const audio = await fetch(new URL(`/api/runs/media/files/${rich.media.audio}`, dashboard.url));
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');

    const attacks = [
      '../other.txt',
      '%2e%2e/other.txt',
      '..%2fother.txt',
      '..%252fother.txt',
      'samples/../../other.txt',
      'samples/..%2F..%2F..%2Fsecret.txt',
      '%2Fetc%2Fpasswd',
      `${encodeURIComponent(join(root, 'secret.txt'))}`,
      'samples/link.txt',
      'samples/digit-3.svg%00.txt',
    ];
    for (const attack of attacks) {
      const answer = await get(dashboard, `/api/runs/media/files/${attack}`);
      expect(answer.status, attack).toBe(404);
      expect(answer.text, attack).not.toContain(secret);
      // the route's own refusal, or (where the client already resolved the `..`) no route at all
      expect(JSON.parse(answer.text).error, attack).toMatch(/no file .* in the folder of run "media"|no API route/);
    }
  });
});
