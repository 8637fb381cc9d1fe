import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusionFromConfig } from '@omnitrain/fusion';
import { trainXor, XOR_DIM } from '../test-fixtures/xor-task.js';
import type { XorResult } from '../test-fixtures/xor-task.js';

const both = { a: XOR_DIM, b: XOR_DIM };
const small = { outDim: 2, hiddenDim: 8 };

/** Prints the measurement (read by people comparing heads) and returns the accuracy. */
function report(what: string, result: XorResult): number {
  console.log(`xor ${what}: ${(result.accuracy * 100).toFixed(1)}% after ${result.steps} steps`);
  return result.accuracy;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('XOR of one bit per modality', () => {
  const fusing = ['early', 'gated', 'attention', 'film', 'low-rank', 'tensor', 'cross-attention'];
  it.each(fusing)('%s fusion reaches >= 95%%', (name) => {
    const head = fusionFromConfig({ name, modalities: both, ...small });
    const acc = report(name, trainXor(head, 'both'));
    head.dispose();
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it('trained with modality dropout (0.2), a head still solves XOR when both modalities are present', () => {
    const head = fusionFromConfig({ name: 'gated', modalities: both, ...small, modalityDropout: 0.2 });
    const acc = report('gated with modality dropout 0.2', trainXor(head, 'both'));
    head.dispose();
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it.each(['a', 'b'] as const)('a unimodal head on %s alone stays near chance', (only) => {
    const head = fusionFromConfig({ name: 'early', modalities: { [only]: XOR_DIM }, ...small });
    const acc = report(`unimodal ${only}`, trainXor(head, only));
    head.dispose();
    expect(acc).toBeLessThanOrEqual(0.65);
  });

  it.each(['average', 'learned'])('late fusion (%s) is additive, so it cannot solve XOR', (weighting) => {
    const head = fusionFromConfig({ name: 'late', modalities: both, ...small, weighting });
    const acc = report(`late ${weighting}`, trainXor(head, 'both'));
    head.dispose();
    expect(acc).toBeLessThanOrEqual(0.65);
  });

  it('late fusion (learned) solves an additive task: AND of the two bits', () => {
    const head = fusionFromConfig({ name: 'late', modalities: both, ...small, weighting: 'learned' });
    const acc = report('late learned on AND', trainXor(head, 'both', 'and'));
    head.dispose();
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });
});
