// Benchmark (not a test): log-mel spectrogram of 1 s of 16 kHz audio, @omnitrain/audio (the wasm
// SIMD kernel and the float64 JS one) versus torchaudio on one thread, measured in the same run, as
// wall-clock and CPU time (the machine is shared: CPU time is the steadier view). Run from libs/audio:
//   taskset -c 0 npx vitest run --config bench/vitest.config.ts
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

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Best-of-5 mean wall and CPU time per call, in ms (the peer script's protocol). */
function time(fn: () => void, calls = 200): { wall: number; cpu: number } {
  for (let i = 0; i < 50; i++) fn();
  let wall = Infinity;
  let cpu = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    const cpuStart = cpuMs();
    for (let i = 0; i < calls; i++) fn();
    wall = Math.min(wall, (performance.now() - start) / calls);
    cpu = Math.min(cpu, (cpuMs() - cpuStart) / calls);
  }
  return { wall, cpu };
}

it('log-mel vs torchaudio (1 s of 16 kHz audio, one core)', () => {
  const x = Float32Array.from({ length: 16_000 }, () => (Math.random() - 0.5) * 0.2);
  const measure = (kernel: 'wasm' | 'js') =>
    CONFIGS.map((c) => {
      const t = new LogMelSpectrogramTransform({ sampleRate: 16_000, ...c, topDb: 80, kernel });
      if (t.activeKernel !== kernel) throw new Error(`${c.name}: runs on ${t.activeKernel}, not ${kernel}`);
      return time(() => t.apply(x));
    });
  const wasm = measure('wasm');
  const js = measure('js');
  const script = join(dirname(fileURLToPath(import.meta.url)), 'torchaudio-log-mel.py');
  const peer = JSON.parse(execFileSync('/usr/bin/python3', [script, JSON.stringify(CONFIGS)], { encoding: 'utf8' })) as {
    torch: string;
    results: Array<{ msPerSecondOfAudio: number; cpuMsPerSecondOfAudio: number }>;
  };
  const rows = CONFIGS.map((c, i) => {
    const w = wasm[i]!;
    const j = js[i]!;
    const ta = peer.results[i]!;
    return `| ${c.name} | ${w.wall.toFixed(3)} (cpu ${w.cpu.toFixed(3)}) | ${j.wall.toFixed(3)} | ${ta.msPerSecondOfAudio.toFixed(3)} (cpu ${ta.cpuMsPerSecondOfAudio.toFixed(3)}) | ${(ta.msPerSecondOfAudio / w.wall).toFixed(2)}x | ${(ta.cpuMsPerSecondOfAudio / w.cpu).toFixed(2)}x | ${(ta.msPerSecondOfAudio / j.wall).toFixed(2)}x |`;
  });
  console.log(
    [
      `log-mel + AmplitudeToDB(top_db=80), 1 s of 16 kHz audio; Node ${process.version}, torch ${peer.torch} (1 thread)`,
      '| config | wasm kernel ms | JS kernel ms | torchaudio ms | wasm vs torchaudio (wall) | wasm vs torchaudio (CPU) | JS vs torchaudio (wall) |',
      '|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}, 120_000);
