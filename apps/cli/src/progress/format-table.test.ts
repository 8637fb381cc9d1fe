import { describe, expect, it } from 'vitest';
import { formatTable } from '@omnitrain/cli';

describe('formatTable', () => {
  it('aligns text left and numbers right, and every cell reads back', () => {
    const rows = Array.from({ length: 2 + Math.floor(Math.random() * 5) }, (_, i) => ({
      model: `m${'x'.repeat(Math.floor(Math.random() * 8))}${i}`,
      accuracy: Math.random(),
      steps: Math.floor(Math.random() * 10_000),
    }));
    const lines = formatTable(rows, { digits: 3 }).split('\n');
    expect(lines).toHaveLength(rows.length + 2);
    expect(lines[1]).toMatch(/^-+  -+  -+$/);
    const widths = lines[1]!.split('  ').map((d) => d.length);
    rows.forEach((row, i) => {
      const line = lines[i + 2]!.padEnd(widths.reduce((a, b) => a + b + 2, -2));
      const model = line.slice(0, widths[0]);
      const acc = line.slice(widths[0]! + 2, widths[0]! + 2 + widths[1]!);
      const steps = line.slice(widths[0]! + widths[1]! + 4);
      expect(model.trimEnd()).toBe(row.model);
      expect(model.startsWith(row.model)).toBe(true);
      expect(acc.trimStart()).toBe(row.accuracy.toFixed(3));
      expect(acc.endsWith(row.accuracy.toFixed(3))).toBe(true);
      expect(Number(steps.trim())).toBe(row.steps);
    });
  });

  it('shows missing cells as "-" and puts the title first', () => {
    const text = formatTable([{ a: 'x', b: 1.5 }, { a: 'y' }], { title: 'T', columns: ['a', 'b'] });
    expect(text.split('\n')).toEqual(['T', 'a       b', '-  ------', 'x  1.5000', 'y       -']);
  });
});
