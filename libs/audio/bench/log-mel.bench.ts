// Benchmark (not a test): log-mel spectrogram of 1 s of 16 kHz audio, @omnitrain/audio (fft.js)
// versus torchaudio on one thread, measured in the same run. Run from libs/audio:
//   npx vitest run --config bench/vitest.config.ts
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { LogMelSpectrogramTransform } from '@omnitrain/audio';

const CONFIGS = [
  { name: 'nFft 400, hop 160, 80 mels (Whisper-style)', nFft: 400, hopLength: 160, nMels: 80 },
  { name: 'nFft 512, hop 160, 64 mels', nFft: 512, hopLength: 160, nMels: 64 },
  { name: 'nFft 400, hop 200, 128 mels (torchaudio defaults)', nFft: 400, hopLength: 200, nMels: 128 },
];

/** Best-of-5 mean time per call, in ms. */
function time(fn: () => void, calls = 200): number {
  for (let i = 0; i < 50; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 15; round++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fn();
    best = Math.min(best, (performance.now() - start) / calls);
  }
  return best;
}

it('log-mel vs torchaudio (1 s of 16 kHz audio, one core)', () => {
  const x = Float32Array.from({ length: 16_000 }, () => (Math.random() - 0.5) * 0.2);
  const ours = CONFIGS.map((c) => {
    const t = new LogMelSpectrogramTransform({ sampleRate: 16_000, ...c, topDb: 80 });
    return time(() => t.apply(x));
  });
  const script = join(dirname(fileURLToPath(import.meta.url)), 'torchaudio-log-mel.py');
  const peer = JSON.parse(execFileSync('/usr/bin/python3', [script, JSON.stringify(CONFIGS)], { encoding: 'utf8' })) as {
    torch: string;
    results: Array<{ msPerSecondOfAudio: number }>;
  };
  const rows = CONFIGS.map((c, i) => {
    const js = ours[i]!;
    const ta = peer.results[i]!.msPerSecondOfAudio;
    return `| ${c.name} | ${js.toFixed(3)} | ${ta.toFixed(3)} | ${(ta / js).toFixed(2)}x | ${(1000 / js).toFixed(0)} |`;
  });
  console.log(
    [
      `log-mel + AmplitudeToDB(top_db=80), 1 s of 16 kHz audio; Node ${process.version}, torch ${peer.torch} (1 thread)`,
      '| config | @omnitrain/audio ms | torchaudio ms | speed vs torchaudio | s of audio per s (JS) |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}, 120_000);
