import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeSchema } from '@omnitrain/core';

describe('describeSchema', () => {
  it.each([
    [z.number(), 'number'],
    [z.number().positive(), 'number > 0'],
    [z.number().gte(0.5).lt(1), 'number >= 0.5 and < 1'],
    [z.number().multipleOf(0.25), 'number, multiple of 0.25'],
    [z.int(), 'integer'],
    [z.int().min(1), 'integer >= 1'],
    [z.int().nonnegative().max(8).default(2), 'integer >= 0 and <= 8'],
    [z.string(), 'string'],
    [z.string().min(1), 'non-empty string'],
    [z.string().min(3).max(10), 'string of length >= 3 and <= 10'],
    [z.string().length(2), 'string of length 2'],
    [z.string().regex(/^v\d+$/), 'string matching /^v\\d+$/'],
    [z.email(), 'string (email)'],
    [z.boolean().optional(), 'boolean'],
    [z.null(), 'null'],
    [z.enum(['adam', 'sgd']), 'one of "adam", "sgd"'],
    [z.literal('concat'), '"concat"'],
    [z.literal(3), '3'],
    [z.union([z.literal('auto'), z.number().positive()]), '"auto" or number > 0'],
    [z.union([z.literal('a'), z.enum(['b', 'c'])]), 'one of "a", "b", "c"'],
    [z.number().positive().nullable(), 'number > 0 or null'],
    [z.union([z.number(), z.string()]), 'number or string'],
    [z.array(z.int().min(1)), 'array of integer >= 1'],
    [z.array(z.string()).min(1), 'array of string with at least 1 item'],
    [z.array(z.number()).min(2).max(4), 'array of number with at least 2 items and at most 4 items'],
    [z.array(z.number()).length(3), 'array of number with exactly 3 items'],
    [z.tuple([z.number(), z.string()]), '[number, string]'],
    [z.strictObject({ a: z.number() }), 'object'],
    [z.record(z.string(), z.number().positive()), 'object with number > 0 values'],
    [z.any(), 'any value'],
    [z.never(), 'nothing'],
  ])('case %# reads as expected', (schema, phrase) => {
    expect(describeSchema(schema)).toBe(phrase);
  });

  it('describes the input side of a transform', () => {
    expect(describeSchema(z.string().transform((s) => s.length))).toBe('string');
  });
});
