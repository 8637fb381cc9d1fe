import { z } from 'zod';

/**
 * The `telemetry:` section of a run: where run folders go and which sinks get the events. The
 * JSONL log (`events.jsonl`) is always written, since the dashboard and `omnitrain eval` read it.
 *
 * @example
 * telemetryConfigSchema.parse({}); // { runsDir: 'runs', tensorboard: true, samples: 24 }
 */
export const telemetryConfigSchema = z
  .strictObject({
    runsDir: z
      .string()
      .min(1)
      .default('runs')
      .describe('Root of the run folders runs/<runId>/, relative to the working folder. Default "runs".'),
    runId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit')
      .optional()
      .describe(
        'Name of the run folder; training resumes from its latest checkpoint when the folder has one. ' +
          'Default: <config file name>-<UTC time>, a new folder per run.',
      ),
    tensorboard: z.boolean().default(true).describe('Write TensorBoard event files to <run>/tensorboard/. Default true.'),
    samples: z
      .int()
      .min(0)
      .max(256)
      .default(24)
      .describe('Validation samples (spread over the classes) predicted after every validation pass and shown in the dashboard with their image, audio and text (copied into <run>/samples/). 0 turns it off. Default 24.'),
    dashboard: z
      .strictObject({
        url: z.url({ protocol: /^https?$/ }).describe('The dashboard\'s base URL, e.g. http://127.0.0.1:6006.'),
        token: z.string().min(1).optional().describe('Bearer token the dashboard requires. Default: none.'),
      })
      .optional()
      .describe('Also send events live to a running dashboard over HTTP. Default: off (the dashboard can read events.jsonl).'),
  })
  .describe('Telemetry: run folders and event sinks (JSONL always, TensorBoard, a dashboard over HTTP).');

/** A validated telemetry section, defaults filled in. */
export type TelemetryConfig = z.output<typeof telemetryConfigSchema>;
