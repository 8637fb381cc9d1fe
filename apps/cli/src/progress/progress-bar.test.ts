import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar } from '@omnitrain/cli';

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('createProgressBar without a TTY', () => {
  it('prints one line per 10% crossed plus a final line', () => {
    const total = 20 + Math.floor(Math.random() * 200);
    const out = capture();
    let clock = 0;
    const bar = createProgressBar({ label: 'work', total, stream: out.stream, tty: false, now: () => clock });
    for (let i = 1; i <= total; i++) bar.update(i, `item ${i}`);
    bar.stop('done');
    const lines = out.text().trim().split('\n');
    const expected = new Set<number>();
    for (let i = 1; i < total; i++) if (Math.floor((10 * i) / total) > Math.floor((10 * (i - 1)) / total)) expected.add(i);
    expect(lines).toHaveLength(expected.size + 1);
    expect(lines.at(-1)).toBe(`work 100% (${total}/${total}) done`);
    for (const line of lines.slice(0, -1)) {
      const [, pct, value] = /^work (\d+)% \((\d+)\/\d+\) item \d+$/.exec(line)!;
      expect(expected.has(Number(value))).toBe(true);
      expect(Number(pct)).toBe(Math.floor((100 * Number(value)) / total));
    }
  });

  it('also prints when the interval passed without a new 10%', () => {
    const out = capture();
    let clock = 0;
    const bar = createProgressBar({ label: 'slow', total: 1000, stream: out.stream, tty: false, now: () => clock, intervalMs: 1000 });
    bar.update(1);
    clock = 999;
    bar.update(2);
    clock = 1000;
    bar.update(3);
    expect(out.text()).toBe('slow 0% (3/1000)\n');
  });

  it('draws a live bar on a TTY', () => {
    const out = capture();
    Object.assign(out.stream, { isTTY: true, columns: 100 });
    const bar = createProgressBar({ label: 'tty', total: 4, stream: out.stream });
    bar.update(2, 'half');
    bar.stop();
    expect(out.text()).toContain('tty [');
    expect(out.text()).toContain('2/4 half');
  });
});
