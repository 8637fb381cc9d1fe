import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configJsonSchema, runtimeConfigSchema } from '@omnitrain/core';

const runSchema = z.strictObject({
  runtime: runtimeConfigSchema.prefault({}),
  optim: z.strictObject({
    lr: z.number().positive().describe('Learning rate.'),
    kind: z.enum(['adam', 'sgd']).default('adam'),
  }),
  layers: z.array(z.strictObject({ units: z.int().min(1) })).min(1),
});

describe('configJsonSchema', () => {
  it('gives a draft 2020-12 schema with $id and title first', () => {
    const schema = configJsonSchema(runSchema, { id: 'https://omnitrain.dev/run.schema.json', title: 'Omnitrain run' });
    expect(Object.keys(schema).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'type']);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('closes strict objects, requires only fields without defaults and keeps constraints', () => {
    const schema = configJsonSchema(runSchema) as Record<string, any>;
    expect(schema['type']).toBe('object');
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual(['optim', 'layers']);

    const optim = schema['properties'].optim;
    expect(optim).toMatchObject({ type: 'object', additionalProperties: false, required: ['lr'] });
    expect(optim.properties.lr).toEqual({ type: 'number', exclusiveMinimum: 0, description: 'Learning rate.' });
    expect(optim.properties.kind).toEqual({ type: 'string', enum: ['adam', 'sgd'], default: 'adam' });

    const layers = schema['properties'].layers;
    expect(layers).toMatchObject({ type: 'array', minItems: 1 });
    expect(layers.items).toMatchObject({ additionalProperties: false, required: ['units'] });
    expect(layers.items.properties.units).toMatchObject({ type: 'integer', minimum: 1 });

    const runtime = schema['properties'].runtime;
    expect(runtime.additionalProperties).toBe(false);
    expect(runtime.required).toBeUndefined();
    expect(runtime.properties.seed).toMatchObject({ type: 'integer', minimum: 0, default: 0 });
    expect(runtime.properties.backend.enum).toEqual(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    for (const field of Object.values<{ description: string }>(runtime.properties)) {
      expect(field.description).toMatch(/Default: .+\.$/);
    }
  });

  it('leaves parts JSON Schema cannot express open instead of failing', () => {
    const schema = configJsonSchema(z.strictObject({ at: z.date(), n: z.number() })) as Record<string, any>;
    expect(schema['properties'].at).toEqual({});
    expect(schema['properties'].n).toEqual({ type: 'number' });
  });
});
