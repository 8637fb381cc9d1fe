import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { assignParamGroups, createOptimizer, matchParams, sgd } from '@omnitrain/optim';

beforeAll(() => tf.setBackend('cpu'));

describe('parameter groups', () => {
  it('matches names and globs; the first matching group wins; the rest is "default"', () => {
    const names = ['enc/conv/kernel', 'enc/conv/bias', 'head/dense/kernel', 'head/dense/bias'];
    expect(matchParams(names, ['*bias'])).toEqual(['enc/conv/bias', 'head/dense/bias']);
    expect(matchParams(names, ['enc/conv/kerne?'])).toEqual(['enc/conv/kernel']);
    expect(matchParams(['a.b', 'axb'], ['a.b'])).toEqual(['a.b']);
    expect(assignParamGroups(names, [{ params: ['*bias'], name: 'biases' }, { params: ['enc/*'] }])).toEqual([
      { name: 'biases', params: ['enc/conv/bias', 'head/dense/bias'] },
      { name: 'group1', params: ['enc/conv/kernel'] },
      { name: 'default', params: ['head/dense/kernel'] },
    ]);
    expect(() => assignParamGroups(names, [{ params: ['decoder/*'] }])).toThrow(/match at least one parameter/);
  });

  it('gives each group its options and learning rate (discriminative fine-tuning)', () => {
    const params = { 'enc/w': tf.variable(tf.ones([2])), 'head/w': tf.variable(tf.ones([2])) };
    const opt = sgd(params, { lr: 0.1, groups: [{ params: ['enc/*'], lr: 0.01, name: 'encoder' }] });
    expect(opt.groups.map((g) => [g.name, g.lr])).toEqual([['encoder', 0.01], ['default', 0.1]]);
    opt.applyGradients({ 'enc/w': tf.ones([2]), 'head/w': tf.ones([2]) });
    expect(params['enc/w'].dataSync()[0]).toBeCloseTo(0.99, 7);
    expect(params['head/w'].dataSync()[0]).toBeCloseTo(0.9, 7);
    opt.setLr([0.5, 0.25]);
    expect(opt.groups.map((g) => [g.lr, g.initialLr])).toEqual([[0.5, 0.01], [0.25, 0.1]]);
    expect(() => opt.setLr([1])).toThrow(/one per group \(2: encoder, default\)/);
    tf.dispose(params);
  });

  it('checks options per group', () => {
    const params = { w: tf.variable(tf.ones([2])) };
    expect(() => sgd(params, { nesterov: true })).toThrow(/nesterov needs momentum > 0 and dampening 0.*group "default"/);
    expect(() => sgd(params, { momentum: 0.9, groups: [{ params: ['w'], dampening: 0.1, nesterov: true }] })).toThrow(ConfigError);
    expect(() => createOptimizer(params, { name: 'adam', betas: [0.9, 0.99] })).toThrow(/betas/);
    tf.dispose(params);
  });
});
