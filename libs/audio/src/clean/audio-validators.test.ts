import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanSamples, parseDataConfig, sampleValidators } from '@omnitrain/data';
import type { Sample } from '@omnitrain/data';
import { audioDurationValidator } from '@omnitrain/audio';

function wavBytes(frames: number, rate = 8000): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, rate, '16', Array.from({ length: frames }, () => Math.floor(Math.random() * 2000 - 1000)));
  return wav.toBuffer();
}

const sample = (id: string, audio: string): Sample => ({ id, audio, labels: ['yes'], extra: {}, source: { file: 'train.csv', line: Number(id) } });

describe('audio sample validators', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omnitrain-audio-clean-'));
    const full = wavBytes(8000);
    await writeFile(join(dir, 'good.wav'), full);
    await writeFile(join(dir, 'short.wav'), wavBytes(800));
    await writeFile(join(dir, 'truncated.wav'), full.subarray(0, full.length - 1000));
    await writeFile(join(dir, 'empty.wav'), wavBytes(0));
    await writeFile(join(dir, 'text.wav'), 'not audio at all');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are registered in data\'s sampleValidators', () => {
    expect(sampleValidators.list()).toEqual(expect.arrayContaining(['unreadable-audio', 'duration-out-of-range']));
  });

  it('make cleaning report truncated, corrupt and empty WAVs, naming the file, and keep good ones', async () => {
    const names = ['good', 'short', 'truncated', 'empty', 'text', 'missing'];
    const samples = names.map((n, i) => sample(String(i + 1), join(dir, `${n}.wav`)));
    const report = await cleanSamples(samples, { duplicates: false });
    expect(report.kept.map((s) => s.id)).toEqual(['1', '2']);
    const reasons = Object.fromEntries(report.dropped.map((d) => [names[Number(d.id) - 1], d.problems.map((p) => p.reason)]));
    expect(reasons).toEqual({
      truncated: ['unreadable-audio'],
      empty: ['duration-out-of-range'],
      text: ['unreadable-audio'],
      missing: ['missing-file'],
    });
    const detail = (name: string) => report.dropped.find((d) => names[Number(d.id) - 1] === name)!.problems[0]!.detail;
    expect(detail('truncated')).toContain('expected 16000 bytes of sample data (as the data chunk header declares), got 15000 bytes');
    expect(detail('truncated')).toContain(join(dir, 'truncated.wav'));
    expect(detail('empty')).toMatch(/audio lasts 0 s \(0 frames\), expected at least 0 s and not empty/);
    expect(report.summary.byReason).toEqual({ 'unreadable-audio': 2, 'duration-out-of-range': 1, 'missing-file': 1 });
  });

  it('drop clips outside the data config\'s cleaning.audioSeconds into the report, with the reason', async () => {
    const config = parseDataConfig({ manifest: 'x.jsonl', cleaning: { audioSeconds: { min: 0.2 + Math.random() * 0.3, max: 0.6 + Math.random() * 0.3 } } });
    const { min, max } = config.cleaning.audioSeconds!;
    const frames = Array.from({ length: 12 }, () => 1 + Math.floor(Math.random() * 8000)); // up to 1 s at 8 kHz
    const samples = await Promise.all(
      frames.map(async (n, i) => {
        const path = join(dir, `range-${i}.wav`);
        await writeFile(path, wavBytes(n));
        return sample(String(i + 1), path);
      }),
    );
    const report = await cleanSamples(samples, { duplicates: false, audioSeconds: config.cleaning.audioSeconds! });
    const inRange = (n: number) => n / 8000 >= min && n / 8000 <= max!;
    expect(report.kept.map((s) => s.id)).toEqual(frames.flatMap((n, i) => (inRange(n) ? [String(i + 1)] : [])));
    for (const d of report.dropped) {
      expect(d.problems.map((p) => p.reason)).toEqual(['duration-out-of-range']);
      expect(d.problems[0]!.detail).toContain(`expected ${min} s to ${max} s: ${join(dir, `range-${Number(d.id) - 1}.wav`)}`);
    }
    // without the range only empty clips are out of range
    expect((await cleanSamples(samples, { duplicates: false })).dropped).toEqual([]);
    expect(() => parseDataConfig({ manifest: 'x.jsonl', cleaning: { audioSeconds: { min: 2, max: 1 } } })).toThrow(/audioSeconds/);
    expect(() => parseDataConfig({ manifest: 'x.jsonl', cleaning: { audioSeconds: { min: -1 } } })).toThrow(/audioSeconds\.min/);
  });

  it('check a configured duration range', async () => {
    const validator = audioDurationValidator({ minSeconds: 0.5, maxSeconds: 2 });
    expect(await validator(sample('1', join(dir, 'good.wav')), {})).toBeUndefined();
    expect(await validator(sample('2', join(dir, 'short.wav')), {})).toEqual({
      reason: 'duration-out-of-range',
      field: 'audio',
      detail: `audio lasts 0.1 s (800 frames), expected 0.5 s to 2 s: ${join(dir, 'short.wav')}`,
    });
    expect(await validator(sample('3', join(dir, 'truncated.wav')), {})).toBeUndefined(); // unreadable-audio reports it
    expect(() => audioDurationValidator({ minSeconds: 3, maxSeconds: 1 })).toThrow(/minSeconds <= maxSeconds/);
  });
});
