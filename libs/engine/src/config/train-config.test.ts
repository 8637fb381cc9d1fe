import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '@omnitrain/core';
import { parseTrainConfig, trainConfigSchema } from '@omnitrain/engine';

/** Every field of an object schema (recursively) with its description. */
function fields(schema: z.ZodType, path = ''): [string, string | undefined][] {
  const inner = (s: z.ZodType): z.ZodType => {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; options?: z.ZodType[] } }).def;
    if (def.innerType) return inner(def.innerType);
    if (def.type === 'union') return inner(def.options!.find((o) => o instanceof z.ZodObject) ?? s);
    return s;
  };
  const obj = inner(schema);
  if (!(obj instanceof z.ZodObject)) return [];
  return Object.entries(obj.shape as Record<string, z.ZodType>).flatMap(([k, v]) => [[`${path}${k}`, v.description] as [string, string | undefined], ...fields(v, `${path}${k}.`)]);
}

describe('trainConfigSchema', () => {
  it('fills documented defaults', () => {
    const c = parseTrainConfig({});
    expect(c).toEqual({
      epochs: 10, batchSize: 32, evalEvery: 1, seed: 0, labelSmoothing: 0,
      checkpoint: { dir: 'checkpoints', everyEpochs: 1, keepLast: 3 }, earlyStopping: 'off', callbacks: [],
    });
    expect(parseTrainConfig({ earlyStopping: { patience: 2 } }).earlyStopping).toEqual({ monitor: 'val_loss', mode: 'min', patience: 2, minDelta: 0, restoreBest: false });
    expect(parseTrainConfig({ checkpoint: 'off' }).checkpoint).toBe('off');
  });

  it('describes every field, with its default where it has one', () => {
    const all = fields(trainConfigSchema);
    expect(all.length).toBeGreaterThan(15);
    for (const [path, description] of all) {
      expect(description, path).toBeTruthy();
      expect(description!, path).toMatch(/Default/);
    }
  });

  it('names the offending field', () => {
    const error = (() => { try { parseTrainConfig({ epochs: 0, checkpoint: { keepLast: 'x' } }, 'run.yaml'); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(/epochs/);
    expect(String((error as Error).message)).toMatch(/checkpoint/);
  });
});
