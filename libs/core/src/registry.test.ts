import { describe, expect, it } from 'vitest';
import { ConfigError, Registry, editDistance, nearest } from '@omnitrain/core';

describe('Registry', () => {
  it('returns what was registered and lists names sorted', () => {
    const r = new Registry<number>('fusion');
    r.register('gated', 2);
    r.register('concat', 1);
    expect(r.get('concat')).toBe(1);
    expect(r.get('gated')).toBe(2);
    expect(r.has('gated')).toBe(true);
    expect(r.has('film')).toBe(false);
    expect(r.list()).toEqual(['concat', 'gated']);
  });

  it('throws on a duplicate name', () => {
    const r = new Registry<number>('optimizer');
    r.register('adam', 1);
    expect(() => r.register('adam', 2)).toThrow(ConfigError);
    expect(() => r.register('adam', 2)).toThrow(/"adam", which is already registered/);
    expect(r.get('adam')).toBe(1);
  });

  it('lists the available names and the nearest one on a miss', () => {
    const r = new Registry<number>('fusion');
    for (const [i, n] of ['concat', 'gated', 'attention', 'film'].entries()) r.register(n, i);
    let caught: unknown;
    try {
      r.get('gatd');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toBe(
      'Unknown fusion "gatd". Available: attention, concat, film, gated. Did you mean "gated"?',
    );
    expect(() => r.get('zzzzzzzz')).toThrow(/^Unknown fusion "zzzzzzzz"\. Available: attention, concat, film, gated\.$/);
  });
});

describe('editDistance / nearest', () => {
  it('matches hand-computed distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('lr', 'rl')).toBe(1);
    expect(editDistance('same', 'same')).toBe(0);
  });
  it('suggests only plausible typos', () => {
    expect(nearest('learning_rat', ['learning_rate', 'momentum'])).toBe('learning_rate');
    expect(nearest('xyz', ['learning_rate', 'momentum'])).toBeUndefined();
  });
});
