import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '@omnitrain/cli';

const base = (data: Record<string, unknown>) => ({
  data: { manifest: 'data/m.jsonl', ...data },
  model: { modalities: ['image'], numClasses: 3, encoders: { image: { name: 'cnn' } }, fusion: { name: 'concat' } },
});

describe('data.featurizeThreads', () => {
  it('defaults to 0 and keeps an integer >= 0 or "auto"', () => {
    expect(runConfigSchema.parse(base({})).data.featurizeThreads).toBe(0);
    const n = Math.floor(Math.random() * 8);
    expect(runConfigSchema.parse(base({ featurizeThreads: n })).data.featurizeThreads).toBe(n);
    expect(runConfigSchema.parse(base({ featurizeThreads: 'auto' })).data.featurizeThreads).toBe('auto');
  });

  it.each([-1, 1.5, 'many'])('refuses %s, naming the field', (bad) => {
    const r = runConfigSchema.safeParse(base({ featurizeThreads: bad }));
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('data.featurizeThreads');
  });

  it('keeps the data section\'s own checks (manifest or folder)', () => {
    const r = runConfigSchema.safeParse({ ...base({}), data: { featurizeThreads: 1 } });
    expect(r.success).toBe(false);
  });
});
