import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@omnitrain/core';
import { startDashboard } from '@omnitrain/dashboard';
import type { DashboardServer, RunDetail, RunSummary } from '@omnitrain/dashboard';
import { httpSink, RunRecorder } from '@omnitrain/telemetry';
import { describe, expect, it, onTestFinished } from 'vitest';
import { metricDrafts, runStart, stamp, toJsonl } from '../../test-fixtures/event-lines.js';
import { openSse } from '../../test-fixtures/sse-client.js';
import { tempDir } from '../../test-fixtures/temp-dir.js';

const randomValues = (n: number): number[] => Array.from({ length: n }, () => Math.random() * 4 - 1);

async function start(runsDir: string, extra: Parameters<typeof startDashboard>[0] = {}): Promise<DashboardServer> {
  const dashboard = await startDashboard({ runsDir, pollMs: 60_000, ...extra });
  onTestFinished(() => dashboard.close());
  return dashboard;
}

async function getJson<T>(dashboard: DashboardServer, path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, dashboard.url), init);
  return { status: response.status, body: (await response.json()) as T };
}

describe('startDashboard: ingesting run folders', () => {
  it('ingests logs incrementally and shows corrupt, torn, missing and half-written runs as such', async () => {
    const runsDir = await tempDir();
    const loss = randomValues(30);
    const good = stamp('good', [runStart('good', { lr: 0.1 }), ...metricDrafts('loss', 'train', loss)]);
    await mkdir(join(runsDir, 'good'));
    const lines = toJsonl(good).split('\n');
    // a corrupt line between valid ones, and a torn (half-written) last line
    const torn = toJsonl(stamp('good', metricDrafts('loss', 'train', [0.5], () => 30), 31)).trimEnd();
    await writeFile(join(runsDir, 'good', 'events.jsonl'), `${lines.slice(0, 10).join('\n')}\n{"v":1,"seq":oops\n${lines.slice(10).join('\n')}${torn.slice(0, 25)}`);
    await mkdir(join(runsDir, 'empty'));
    await mkdir(join(runsDir, 'half'));
    await writeFile(join(runsDir, 'half', 'events.jsonl'), '{"v":1,"seq":0,"runId":"half","ti');

    const dashboard = await start(runsDir);
    const { body: list } = await getJson<{ runs: RunSummary[] }>(dashboard, '/api/runs');
    const byId = new Map(list.runs.map((r) => [r.runId, r]));
    expect(byId.get('good')).toMatchObject({ state: 'running', lastStep: 29, problems: 1, hparams: { lr: 0.1 } });
    expect(byId.get('good')!.tornBytes).toBe(25);
    expect(byId.get('empty')!.state).toBe('no-log');
    expect(byId.get('half')).toMatchObject({ state: 'no-start', tornBytes: 33 });

    const { body: run } = await getJson<RunDetail>(dashboard, '/api/runs/good');
    expect(run.recentProblems[0]!.message).toMatch(/events\.jsonl:11: not valid JSON/);
    expect(run.series.find((s) => s.name === 'loss')).toMatchObject({ count: 30, firstStep: 0, lastStep: 29 });

    // the writer finishes the torn line and ends the run: the next poll picks both up
    await appendFile(join(runsDir, 'good', 'events.jsonl'), `${torn.slice(25)}\n${toJsonl(stamp('good', [{ kind: 'run-end', status: 'completed', summary: { loss: loss[29]! } }], 32))}`);
    await dashboard.poll();
    const { body: after } = await getJson<RunDetail>(dashboard, '/api/runs/good');
    expect(after).toMatchObject({ state: 'completed', lastStep: 30, tornBytes: 0, summary: { loss: loss[29] } });
    expect(after.series.find((s) => s.name === 'loss')!.count).toBe(31);
  });

  it('answers 404 with a clear JSON error for an unknown run and resumes after a restart without duplicates', async () => {
    const runsDir = await tempDir();
    await mkdir(join(runsDir, 'alpha'));
    const values = randomValues(12);
    await writeFile(join(runsDir, 'alpha', 'events.jsonl'), toJsonl(stamp('alpha', [runStart('alpha'), ...metricDrafts('loss', 'train', values)])));
    const first = await startDashboard({ runsDir, pollMs: 60_000 });
    const missing = await getJson<{ error: string; hint: string }>(first, '/api/runs/alpah');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toContain('"alpah"');
    expect(missing.body.hint).toContain('did you mean "alpha"');
    expect((await getJson<{ error: string }>(first, '/api/runs/alpah/series?name=loss')).status).toBe(404);
    await first.close();

    await appendFile(join(runsDir, 'alpha', 'events.jsonl'), toJsonl(stamp('alpha', metricDrafts('loss', 'train', [1.5], () => 12), 13)));
    const second = await start(runsDir);
    const { body } = await getJson<{ steps: number[]; values: number[] }>(second, '/api/runs/alpha/series?name=loss&split=train');
    expect(body.steps).toEqual([...Array(13).keys()]);
    expect(body.values).toEqual([...values, 1.5]);
  });
});

describe('startDashboard: binding and tokens', () => {
  it('refuses a non-loopback host without a token, and checks the token on every request', async () => {
    const runsDir = await tempDir();
    await expect(startDashboard({ runsDir, host: '0.0.0.0' })).rejects.toThrow(ConfigError);
    await expect(startDashboard({ runsDir, host: '0.0.0.0' })).rejects.toThrow(/token/);
    const token = `t-${Math.random().toString(36).slice(2)}x`;
    const dashboard = await start(runsDir, { host: '0.0.0.0', token });
    expect(dashboard.url).toContain(`token=${token}`);
    const base = `http://127.0.0.1:${dashboard.port}`;
    const denied = await fetch(`${base}/api/runs`);
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: string }).error).toMatch(/token/);
    expect((await fetch(`${base}/api/runs`, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
    expect((await fetch(`${base}/api/runs`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${base}/api/runs?token=${token}`)).status).toBe(200);
    expect((await fetch(`${base}/`)).status).toBe(401);
  });
});

describe('startDashboard: POST /api/ingest', () => {
  it('stores what the telemetry http sink posts, once, and refuses bad bodies clearly', async () => {
    const runsDir = await tempDir();
    const token = 'ingest-token-123';
    const dashboard = await start(runsDir, { token });
    const url = `http://127.0.0.1:${dashboard.port}/api/ingest`;
    const sink = httpSink({ url, headers: { authorization: `Bearer ${token}` }, batchSize: 7, flushIntervalMs: 10 });
    const recorder = new RunRecorder({ runId: 'posted', sink });
    const values = randomValues(40);
    recorder.emit(runStart('posted', { lr: 0.3 }) as never);
    for (const [i, v] of values.entries()) recorder.emit({ kind: 'metric', name: 'accuracy', split: 'val', value: v, step: i });
    recorder.emit({ kind: 'run-end', status: 'completed', summary: { accuracy: values[39]! } });
    await recorder.close();
    expect(sink.stats()).toMatchObject({ sent: 42, rejected: 0, queued: 0 });

    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' };
    const replayed = toJsonl(stamp('posted', metricDrafts('accuracy', 'val', [9], () => 3), 4));
    const again = await fetch(url, { method: 'POST', headers, body: replayed });
    expect(await again.json()).toMatchObject({ stored: 0, received: 1 });

    const { body } = await getJson<{ values: number[] }>(dashboard, `/api/runs/posted/series?name=accuracy&split=val&token=${token}`);
    expect(body.values).toEqual(values);
    const { body: run } = await getJson<RunDetail>(dashboard, `/api/runs/posted?token=${token}`);
    expect(run).toMatchObject({ state: 'completed', source: 'http', hparams: { lr: 0.3 } });

    const wrongType = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: replayed });
    expect(wrongType.status).toBe(415);
    const partly = await fetch(url, { method: 'POST', headers, body: `${toJsonl(stamp('other', [runStart('other')]))}{"kind":"metric"}\n` });
    expect(partly.status).toBe(422);
    expect(((await partly.json()) as { problems: string[] }).problems[0]).toMatch(/POST \/api\/ingest:2: not a valid event/);
    expect((await getJson<RunDetail>(dashboard, `/api/runs/other?token=${token}`)).body.state).toBe('running');
  });
});

describe('startDashboard: series', () => {
  it('serves full-resolution binary series and min/max-preserving downsampled views by step range', async () => {
    const runsDir = await tempDir();
    await mkdir(join(runsDir, 'long'));
    const n = 5000;
    const values = randomValues(n);
    values[1234] = 50; // a spike and a dip the zoomed-out view must keep
    values[4321] = -50;
    values[777] = Number.NaN;
    const events = stamp('long', [runStart('long'), ...metricDrafts('loss', 'train', values, (i) => i * 2)]);
    await writeFile(join(runsDir, 'long', 'events.jsonl'), toJsonl(events));
    const dashboard = await start(runsDir);

    const raw = await fetch(new URL('/api/runs/long/series?name=loss&format=f64&from=100&to=3999', dashboard.url));
    const all = new Float64Array(await raw.arrayBuffer());
    const count = Number(raw.headers.get('x-point-count'));
    expect(count).toBe(1950); // steps 100, 102, ..., 3998
    expect(Array.from(all.subarray(0, count))).toEqual(Array.from({ length: count }, (_, i) => 100 + 2 * i));
    expect(Array.from(all.subarray(count))).toEqual(values.slice(50, 2000));

    const { body } = await getJson<{ steps: number[]; values: (number | null)[]; total: number; downsampled: boolean }>(dashboard, '/api/runs/long/series?name=loss&points=400');
    expect(body).toMatchObject({ total: n, downsampled: true });
    expect(body.steps.length).toBeLessThanOrEqual(400);
    expect(Math.max(...body.values.map((v) => v ?? -Infinity))).toBe(50);
    expect(Math.min(...body.values.map((v) => v ?? Infinity))).toBe(-50);
    expect(body.steps).toEqual([...body.steps].sort((a, b) => a - b));
    for (const [i, step] of body.steps.entries()) {
      const v = body.values[i];
      expect(v === null ? Number.NaN : v).toBe(values[step / 2]);
    }
    const missing = await getJson<{ error: string; available: string[] }>(dashboard, '/api/runs/long/series?name=los');
    expect(missing.status).toBe(404);
    expect(missing.body.available).toEqual(['loss/train']);
    expect((await getJson(dashboard, '/api/runs/long/series?name=loss&from=abc')).status).toBe(400);
  });
});

describe('startDashboard: live feed (SSE)', () => {
  it('streams new events and resumes after Last-Event-ID without gaps or repeats', async () => {
    const runsDir = await tempDir();
    await mkdir(join(runsDir, 'live'));
    const log = join(runsDir, 'live', 'events.jsonl');
    await writeFile(log, toJsonl(stamp('live', [runStart('live')])));
    const dashboard = await start(runsDir);
    const base = new URL('/api/stream', dashboard.url).href;
    const sse = await openSse(base);
    onTestFinished(() => sse.close());
    expect((await sse.next()).event).toBe('hello');

    const values = randomValues(20);
    await appendFile(log, toJsonl(stamp('live', metricDrafts('loss', 'train', values), 1)));
    await dashboard.poll();
    const got = await sse.collect('metric', 20);
    expect(got.map((m) => (JSON.parse(m.data) as { event: { value: number } }).event.value)).toEqual(values);
    const ids = got.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    sse.close();

    // reconnect after the 7th: the 8th..20th come back, then new ones live
    const resumed = await openSse(base, { 'last-event-id': String(ids[6]) });
    onTestFinished(() => resumed.close());
    const replay = await resumed.collect('metric', 13);
    expect(replay.map((m) => Number(m.id))).toEqual(ids.slice(7));
    await appendFile(log, toJsonl(stamp('live', [{ kind: 'run-end', status: 'completed', summary: {} }], 21)));
    await dashboard.poll();
    const end = await resumed.collect('run-end', 1);
    expect(Number(end[0]!.id)).toBeGreaterThan(ids[19]!);
    expect((await resumed.next()).event).toBe('runs');

    // a one-run stream uses the run's seq as the event id
    const perRun = await openSse(new URL('/api/runs/live/stream', dashboard.url).href, { 'last-event-id': '15' });
    onTestFinished(() => perRun.close());
    const tail = await perRun.collect('metric', 5);
    expect(tail.map((m) => m.id)).toEqual(['16', '17', '18', '19', '20']);
    expect((await perRun.collect('run-end', 1))[0]!.id).toBe('21');
  });
});

describe('startDashboard: evaluation views', () => {
  it('serves the latest confusion matrix, sample predictions, trials and a comparison of runs', async () => {
    const runsDir = await tempDir();
    const labels = ['cat', 'dog', 'bird'];
    const matrix = labels.map(() => labels.map(() => Math.floor(Math.random() * 20)));
    for (const [id, lr] of [['trial-a', 0.1], ['trial-b', 0.01]] as const) {
      await mkdir(join(runsDir, id));
      const acc = Math.random();
      await writeFile(
        join(runsDir, id, 'events.jsonl'),
        toJsonl(
          stamp(id, [
            runStart(id, { lr }, 'search-1'),
            { kind: 'metric', name: 'accuracy', split: 'val', value: acc, step: 5 },
            { kind: 'confusion-matrix', step: 5, split: 'val', labels, matrix },
            { kind: 'samples', step: 5, split: 'val', items: [{ id: 's1', label: 'cat', predicted: 'dog', confidence: 0.7, text: 'a cat' }] },
            { kind: 'trial', searchId: 'search-1', trialId: id, state: 'completed', params: { lr }, objective: { name: 'accuracy', value: acc, mode: 'max' } },
          ]),
        ),
      );
    }
    const dashboard = await start(runsDir);
    const cm = await getJson<{ event: { matrix: number[][] } }>(dashboard, '/api/runs/trial-a/confusion-matrix?split=val');
    expect(cm.body.event.matrix).toEqual(matrix);
    expect((await getJson<{ event: unknown }>(dashboard, '/api/runs/trial-a/confusion-matrix?split=test')).body.event).toBeNull();
    const samples = await getJson<{ event: { items: Array<{ predicted: string }> } }>(dashboard, '/api/runs/trial-a/samples');
    expect(samples.body.event.items[0]!.predicted).toBe('dog');
    const trials = await getJson<{ trials: Array<{ runId: string; event: { params: { lr: number } } }> }>(dashboard, '/api/trials?search=search-1');
    expect(trials.body.trials.map((t) => t.event.params.lr).sort()).toEqual([0.01, 0.1]);
    const compare = await getJson<{ runs: Array<{ runId: string; hparams: { lr: number }; last: Record<string, number> }> }>(dashboard, '/api/compare?runs=trial-a,trial-b');
    expect(compare.body.runs.map((r) => r.hparams.lr)).toEqual([0.1, 0.01]);
    expect(compare.body.runs[0]!.last['val/accuracy']).toBeTypeOf('number');
    const filtered = await getJson<{ runs: RunSummary[]; matched: number }>(dashboard, `/api/runs?filter=${encodeURIComponent('/-b$/')}`);
    expect(filtered.body.runs.map((r) => r.runId)).toEqual(['trial-b']);
    expect((await getJson(dashboard, `/api/runs?filter=${encodeURIComponent('/(/')}`)).status).toBe(400);
  });
});
