// The conformance suite every registered image transform passes.
import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@omnitrain/core';
import {
  compose,
  imageTransformFromConfig,
  imageTransforms,
  normalize,
  randomApply,
  randomHorizontalFlip,
  randomRotation,
} from '@omnitrain/image';
import type { ImageTransformConfig } from '@omnitrain/image';
import { maxAbsDiff, randomImage, seeded } from '../../test-fixtures/images.js';

/** A config per registered kind; `random` marks those whose output depends on the Rng. */
const EXAMPLES: Record<string, { config: ImageTransformConfig; random: boolean }> = {
  'center-crop': { config: { kind: 'center-crop', height: 10, width: 12 }, random: false },
  'color-jitter': { config: { kind: 'color-jitter', brightness: 0.3, contrast: [0.7, 1.2], saturation: 0.5, hue: 20 }, random: true },
  compose: {
    config: { kind: 'compose', steps: [{ kind: 'random-crop', height: 12, width: 12 }, { kind: 'random-horizontal-flip' }] },
    random: true,
  },
  cutout: { config: { kind: 'cutout', height: 4, width: 5, holes: 2 }, random: true },
  'gaussian-noise': { config: { kind: 'gaussian-noise', std: [0.01, 0.1] }, random: true },
  normalize: { config: { kind: 'normalize', mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] }, random: false },
  'random-apply': { config: { kind: 'random-apply', p: 0.7, steps: [{ kind: 'random-rotation', degrees: 10 }] }, random: true },
  'random-crop': { config: { kind: 'random-crop', height: 10, width: 10, padding: 2 }, random: true },
  'random-horizontal-flip': { config: { kind: 'random-horizontal-flip', p: 0.5 }, random: true },
  'random-resized-crop': { config: { kind: 'random-resized-crop', height: 8, width: 8 }, random: true },
  'random-rotation': { config: { kind: 'random-rotation', degrees: 30, fill: [0.1, 0.2, 0.3] }, random: true },
  'random-scale': { config: { kind: 'random-scale', scale: [0.8, 1.2] }, random: true },
  'random-translation': { config: { kind: 'random-translation', x: 0.2, y: [-0.1, 0.3] }, random: true },
  'random-vertical-flip': { config: { kind: 'random-vertical-flip' }, random: true },
  resize: { config: { kind: 'resize', height: 9, width: 11 }, random: false },
};

describe('every registered image transform', () => {
  it('has a conformance example', () => {
    expect(imageTransforms.list()).toEqual(Object.keys(EXAMPLES).sort());
  });

  for (const [kind, { config, random }] of Object.entries(EXAMPLES)) {
    it(`${kind}: round-trips through JSON, is seeded, leaves its input alone`, () => {
      const img = randomImage([16, 20, 3]);
      const before = img.data.slice();
      const t = imageTransformFromConfig(config);
      expect(t.kind).toBe(kind);
      const saved = JSON.parse(JSON.stringify(t.getConfig())) as ImageTransformConfig;
      const again = imageTransformFromConfig(saved);
      expect(again.getConfig()).toEqual(saved);
      // Several seeds, since a flip or random-apply may do nothing for one of them.
      const outputs = [1, 2, 3, 4, 5].map((seed) => t.apply(img, seeded(seed)));
      outputs.forEach((out, i) => expect(again.apply(img, seeded(i + 1)).data).toEqual(out.data));
      expect(img.data).toEqual(before);
      outputs.forEach((out) => expect(out.data).not.toBe(img.data));
      const differs = outputs.some((out) => maxAbsDiff(out.data, outputs[0]!.data) > 0);
      expect(differs).toBe(random);
    });
  }
});

describe('configs', () => {
  it('fill in defaults', () => {
    expect(randomHorizontalFlip().getConfig()).toEqual({ kind: 'random-horizontal-flip', p: 0.5 });
    expect(randomRotation({ degrees: 15 }).getConfig()).toEqual({ kind: 'random-rotation', degrees: [-15, 15], fill: 0 });
  });

  it('reject unknown kinds (listing the known ones), unknown keys and bad values with a ConfigError', () => {
    expect(() => imageTransformFromConfig({ kind: 'random-rotaton', degrees: 5 })).toThrow(
      /Unknown image transform "random-rotaton". Available: center-crop, .*random-rotation.*Did you mean "random-rotation"\?/,
    );
    expect(() => imageTransformFromConfig({ degrees: 5 })).toThrow(ConfigError);
    expect(() => randomRotation({ degrees: 5, angle: 3 } as never)).toThrow(/angle/);
    expect(() => randomRotation({ degrees: [10, -10] })).toThrow(/lo <= hi/);
    expect(() => normalize({ mean: [0.5], std: [0] })).toThrow(ConfigError);
    expect(() => imageTransformFromConfig({ kind: 'compose', steps: [{ kind: 'nope' }] })).toThrow(/Unknown image transform "nope"/);
    expect(() => randomApply([], 1.5)).toThrow(ConfigError);
  });
});

describe('compose and randomApply', () => {
  it('compose applies steps in order with one Rng stream, accepting transforms and configs', () => {
    const img = randomImage([12, 12, 3]);
    const rotate = randomRotation({ degrees: 40 });
    const pipeline = compose([rotate, { kind: 'random-vertical-flip', p: 1 }]);
    const rng = seeded(21);
    const expected = imageTransformFromConfig({ kind: 'random-vertical-flip', p: 1 }).apply(rotate.apply(img, rng), rng);
    expect(pipeline.apply(img, seeded(21)).data).toEqual(expected.data);
    expect(pipeline.getConfig()).toEqual({ kind: 'compose', steps: [rotate.getConfig(), { kind: 'random-vertical-flip', p: 1 }] });
  });

  it('randomApply applies its chain with probability p', () => {
    const img = randomImage([6, 6, 1]);
    const t = randomApply([{ kind: 'random-horizontal-flip', p: 1 }], 0.25);
    const rng = seeded(8);
    let applied = 0;
    for (let i = 0; i < 400; i++) if (t.apply(img, rng).data[0] !== img.data[0]) applied++;
    expect(applied).toBeGreaterThan(70);
    expect(applied).toBeLessThan(130);
  });
});
