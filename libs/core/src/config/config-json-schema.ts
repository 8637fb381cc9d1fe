import { z } from 'zod';

/** Options of {@link configJsonSchema}. */
export interface ConfigJsonSchemaOptions {
  /** `$id` of the schema, e.g. the URL it is published at. Default: none. */
  id?: string;
  /** `title` of the schema. Default: none. */
  title?: string;
}

/**
 * The JSON Schema (draft 2020-12) of a config, for editors to check and complete YAML run files
 * (`# yaml-language-server: $schema=./run.schema.json`). It describes what may be written, so
 * fields with defaults are optional; strict objects get `additionalProperties: false`, and each
 * field keeps its `.describe()` text and default. Parts JSON Schema cannot express (custom
 * checks) are left open (`{}`) rather than failing.
 *
 * @param schema The run config's schema.
 * @param options `$id` and `title`.
 * @returns A plain JSON object, ready for `JSON.stringify`.
 *
 * @example
 * const schema = configJsonSchema(runSchema, { title: 'Omnitrain run config' });
 * await writeFile('run.schema.json', JSON.stringify(schema, null, 2));
 */
export function configJsonSchema(
  schema: z.core.$ZodType,
  options: ConfigJsonSchemaOptions = {},
): z.core.JSONSchema.BaseSchema {
  const { $schema, ...body } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  return {
    $schema,
    ...(options.id === undefined ? {} : { $id: options.id }),
    ...(options.title === undefined ? {} : { title: options.title }),
    ...body,
  };
}
