// Test helper: a run folder with every kind the dashboard shows beyond curves: workers (one
// stalled, one failed), system metrics, samples with image, audio and text files, and the trials
// of a search. Written as events.jsonl, as a run would.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventDraft } from '@omnitrain/telemetry';
import { metricDrafts, runStart, stamp, toJsonl } from './event-lines.js';

/** What {@link writeRichRun} wrote. */
export interface RichRun {
  dir: string;
  /** The search id of the trials. */
  searchId: string;
  /** Final state of each trial. */
  trials: Record<string, string>;
  /** Sample ids with their media paths (relative to the run folder). */
  media: { image: string; audio: string };
}

/** A tiny SVG thumbnail (the dashboard serves it as image/svg+xml). */
const svg = (digit: number): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28"><rect width="28" height="28" fill="#102a43"/><text x="8" y="21" font-size="18" fill="#fff">${digit}</text></svg>`;

/** A mono 16-bit PCM WAV of `n` samples of a sine. */
function wav(n: number, rate = 8000): Buffer {
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Writes `<runsDir>/<runId>/` with events.jsonl and sample media; returns what the UI should show. */
export async function writeRichRun(runsDir: string, runId: string): Promise<RichRun> {
  const dir = join(runsDir, runId);
  await mkdir(join(dir, 'samples'), { recursive: true });
  const image = 'samples/digit-3.svg';
  const audio = 'samples/digit-3.wav';
  await writeFile(join(dir, image), svg(3));
  await writeFile(join(dir, audio), wav(800));
  const searchId = `search-${runId}`;
  const trials: Record<string, string> = { 't-0': 'completed', 't-1': 'pruned', 't-2': 'failed', 't-3': 'completed', 't-4': 'running' };
  const loss = Array.from({ length: 40 }, (_, i) => 2 * Math.exp(-i / 12) + Math.random() * 0.2);
  const worker = (rank: number, state: string, step: number, message?: string): EventDraft =>
    ({ kind: 'worker-status', rank, host: `host-${rank}`, pid: 1000 + rank, state, cpuPercent: 20 + 30 * Math.random(), rssBytes: Math.round((200 + rank * 10 + 50 * Math.random()) * 2 ** 20), step, ...(message ? { message } : {}) }) as EventDraft;
  const drafts: EventDraft[] = [
    runStart(runId, { lr: 0.01, optimizer: 'adam' }, searchId),
    ...metricDrafts('loss', 'train', loss),
    ...[0, 1, 2].map((rank) => worker(rank, 'training', 10)),
    ...[0, 1].map((rank) => ({ kind: 'system', host: `host-${rank}`, rank, cpuPercent: 50 + 40 * Math.random(), memoryUsedBytes: Math.round(2 ** 30 * (1 + Math.random())), memoryTotalBytes: 2 ** 33 }) as EventDraft),
    ...[0, 1].map((rank) => ({ kind: 'system', host: `host-${rank}`, rank, cpuPercent: 50 + 40 * Math.random(), memoryUsedBytes: Math.round(2 ** 30 * (1 + Math.random())), memoryTotalBytes: 2 ** 33 }) as EventDraft),
    worker(1, 'stalled', 12, 'no heartbeat for 30 s'),
    worker(2, 'failed', 12, 'exit code 137'),
    {
      kind: 'samples',
      step: 39,
      split: 'val',
      items: [
        { id: 'img-3', label: '3', predicted: '3', confidence: 0.93, image },
        { id: 'wav-3', label: '3', predicted: '8', confidence: 0.41, audio },
        { id: 'txt-3', label: '3', predicted: '3', confidence: 0.77, text: 'three' },
      ],
    },
  ];
  let objective = 0.5;
  for (const [trialId, state] of Object.entries(trials)) {
    const params = { lr: 10 ** -(1 + Math.random() * 3), layers: 1 + Math.floor(Math.random() * 3) };
    drafts.push({ kind: 'trial', searchId, trialId, state: 'started', params });
    objective = Math.min(0.99, objective + Math.random() * 0.1);
    if (state === 'failed') drafts.push({ kind: 'trial', searchId, trialId, state: 'failed', params, error: 'loss diverged (NaN)' });
    else drafts.push({ kind: 'trial', searchId, trialId, state: state as 'completed', params, step: 20, objective: { name: 'val/accuracy', value: objective, mode: 'max' } });
  }
  await writeFile(join(dir, 'events.jsonl'), toJsonl(stamp(runId, drafts)));
  return { dir, searchId, trials, media: { image, audio } };
}
