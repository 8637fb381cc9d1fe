import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '@omnitrain/cli';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';
import { writeTinyRun } from '../../test-fixtures/tiny-run.js';

interface Event { seq: number; kind: string; [k: string]: unknown }
const readJsonl = async <T>(path: string): Promise<T[]> =>
  (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as T);

describe('omnitrain train', () => {
  it('trains a tiny run: events.jsonl, TensorBoard files, checkpoints, cleaning report, summary; exit 0', async () => {
    const tiny = await writeTinyRun(16 + Math.floor(Math.random() * 12));
    const r = await runOmnitrain(['train', tiny.config, '--run-id', 'one'], { cwd: tiny.dir });
    expect(r.code, r.stderr).toBe(EXIT_CODES.ok);
    const run = join(tiny.dir, 'runs', 'one');
    const summary = JSON.parse(await readFile(join(run, 'summary.json'), 'utf8')) as { steps: number; epochs: number; status: string; test: { count: number; accuracy: number } };
    expect(summary).toMatchObject({ status: 'completed', epochs: 2 });
    expect(r.stdout).toMatch(/^summary\nrun\s+status/m);
    // The one corrupt image is dropped by cleaning, and the report names it.
    const report = await readJsonl<{ type: string; id?: string; kept?: number }>(join(run, 'cleaning-report.jsonl'));
    expect(report[0]).toMatchObject({ type: 'summary', total: tiny.data.rows, kept: tiny.data.rows - 1, dropped: 1 });
    expect(report[1]).toMatchObject({ type: 'dropped', id: tiny.data.corruptId });
    // Steps: two epochs of ceil(train / 4) batches.
    expect(summary.steps % 2).toBe(0);
    expect(summary.test.count).toBeGreaterThan(0);
    const events = await readJsonl<Event>(join(run, 'events.jsonl'));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events[0]!.kind).toBe('run-start');
    expect(events.filter((e) => e.kind === 'run-end')).toMatchObject([{ status: 'completed', step: summary.steps }]);
    expect(events.at(-1)).toMatchObject({ kind: 'worker-status', state: 'exited' });
    expect(events.filter((e) => e.kind === 'checkpoint')).toHaveLength(2);
    const latest = JSON.parse(await readFile(join(run, 'checkpoints', 'latest.json'), 'utf8')) as { file: string; step: number };
    expect(latest).toMatchObject({ step: summary.steps, file: `step-${String(summary.steps).padStart(8, '0')}.safetensors` });
    expect(existsSync(join(run, 'checkpoints', latest.file))).toBe(true);
    const tb = (await readdir(join(run, 'tensorboard'), { recursive: true })).filter((f) => String(f).includes('events.out.tfevents'));
    expect(tb.length).toBeGreaterThan(0);
    expect((await stat(join(run, 'tensorboard', String(tb[0])))).size).toBeGreaterThan(0);
    // Sample predictions after each validation pass: the same samples each time, spread over the
    // classes, their images copied into the run folder byte for byte.
    type Shown = Event & { items: Array<{ id: string; label?: string; predicted: string; confidence: number; image?: string }> };
    const shown = events.filter((e) => e.kind === 'samples') as Shown[];
    expect(shown.length).toBe(2);
    expect(shown[1]!.items.map((i) => i.id)).toEqual(shown[0]!.items.map((i) => i.id));
    const sourceOf = new Map(
      (await readFile(tiny.data.manifest, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; image: string }).map((r) => [r.id, join(dirname(tiny.data.manifest), r.image)]),
    );
    // Round-robin over labels: the first (number of labels) items all have different labels.
    const labels = new Set(shown[0]!.items.map((i) => i.label));
    expect(new Set(shown[0]!.items.slice(0, labels.size).map((i) => i.label)).size).toBe(labels.size);
    for (const item of shown[0]!.items) {
      expect(tiny.classes).toContain(item.predicted);
      expect(item.confidence).toBeGreaterThanOrEqual(1 / tiny.classes.length - 1e-6);
      expect(Buffer.compare(await readFile(join(run, item.image!)), await readFile(sourceOf.get(item.id)!))).toBe(0);
    }
    const config = JSON.parse(await readFile(join(run, 'config.json'), 'utf8')) as { name: string; telemetry: { runId: string } };
    expect(config).toMatchObject({ name: 'tiny', telemetry: { runId: 'one' } });

    // eval rebuilds the model from config.json and the latest checkpoint: the same test result.
    const evaluated = await runOmnitrain(['eval', 'runs/one', '--split', 'test'], { cwd: tiny.dir });
    expect(evaluated.code, evaluated.stderr).toBe(EXIT_CODES.ok);
    const row = new RegExp(`^test\\s+${summary.test.count}\\s+[\\d.]+\\s+([\\d.]+)`, 'm').exec(evaluated.stdout);
    expect(Number(row?.[1])).toBeCloseTo(summary.test.accuracy, 4);

    // predict: one line per row of a manifest of the good rows, probabilities summing to 1.
    const good = (await readFile(tiny.data.manifest, 'utf8')).trim().split('\n').filter((l) => !l.includes(tiny.data.corruptId));
    const manifest = join(tiny.dir, 'data', 'good.jsonl');
    await writeFile(manifest, `${good.join('\n')}\n`);
    const predicted = await runOmnitrain(['predict', join(run, 'checkpoints', latest.file), manifest, '--out', join(tiny.dir, 'preds.jsonl')], { cwd: tiny.dir });
    expect(predicted.code, predicted.stderr).toBe(EXIT_CODES.ok);
    const preds = await readJsonl<{ id: string; predicted: string; label: string; probabilities: Record<string, number> }>(join(tiny.dir, 'preds.jsonl'));
    expect(preds.map((p) => p.id)).toEqual(good.map((l) => (JSON.parse(l) as { id: string }).id));
    for (const p of preds) {
      expect(Object.values(p.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(Math.max(...Object.values(p.probabilities))).toBe(p.probabilities[p.predicted]);
    }
    const accuracy = preds.filter((p) => p.predicted === p.label).length / preds.length;
    expect(predicted.stdout).toContain(`accuracy on the ${preds.length} labeled rows ${accuracy.toFixed(4)}`);
  });

  it('a run killed mid-training resumes from its latest checkpoint and its log continues', async () => {
    const tiny = await writeTinyRun(24);
    const latestJson = join(tiny.dir, 'runs', 'r', 'checkpoints', 'latest.json');
    const args = ['train', tiny.config, '--run-id', 'r', '--set', 'train.epochs=50', '--set', 'train.checkpoint={everySteps: 2, keepLast: 2}'];
    let killedAt = 0;
    const first = await runOmnitrain(args, {
      cwd: tiny.dir,
      onOutput: (_text, child) => {
        if (killedAt === 0 && existsSync(latestJson)) {
          killedAt = Date.now();
          child.kill('SIGKILL');
        }
      },
    });
    expect(first.signal, first.stderr).toBe('SIGKILL');
    const latest = JSON.parse(await readFile(latestJson, 'utf8')) as { file: string; step: number };
    expect(latest.step).toBeGreaterThan(0);
    const extra = 1 + Math.floor(Math.random() * 4);
    const second = await runOmnitrain([...args, '--set', `train.maxSteps=${latest.step + extra}`], { cwd: tiny.dir });
    expect(second.code, second.stderr).toBe(EXIT_CODES.ok);
    expect(second.stderr).toContain(`resuming from ${join(tiny.dir, 'runs', 'r', 'checkpoints', latest.file)} (step ${latest.step}`);
    const summary = JSON.parse(await readFile(join(tiny.dir, 'runs', 'r', 'summary.json'), 'utf8')) as { steps: number; resumedFrom: string };
    expect(summary.steps).toBe(latest.step + extra);
    const events = await readJsonl<Event>(join(tiny.dir, 'runs', 'r', 'events.jsonl'));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    // One run-start (a resumed run continues the log; events the killed run had not flushed are lost),
    // and the run ends at the resumed step count.
    expect(events.filter((e) => e.kind === 'run-start')).toHaveLength(1);
    expect(events[0]!.kind).toBe('run-start');
    expect(events.filter((e) => e.kind === 'run-end')).toMatchObject([{ status: 'completed', step: latest.step + extra }]);
  });
});
