// The sample validators this lib ships, registered once; cleanSamples runs every registered one.
import { stat } from 'node:fs/promises';
import { nearest } from '@omnitrain/core';
import { sampleValidators } from './sample-validator.js';
import type { SampleProblem } from './sample-validator.js';

sampleValidators.register('missing-file', async (sample) => {
  for (const field of ['image', 'audio'] as const) {
    const path = sample[field];
    if (path === undefined) continue;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) {
      return { reason: 'missing-file', field, detail: `${field} file ${info ? 'is not a file' : 'not found'}: ${path}` };
    }
  }
  return undefined;
});

sampleValidators.register('missing-label', (sample) =>
  sample.labels.length === 0 ? { reason: 'missing-label', field: 'label', detail: 'the row has no label' } : undefined,
);

sampleValidators.register('unknown-label', (sample, { classes }): SampleProblem | undefined => {
  const unknown = classes === undefined ? undefined : sample.labels.find((l) => !classes.includes(l));
  if (unknown === undefined) return undefined;
  const near = nearest(unknown, classes!);
  const hint = near ? ` (did you mean "${near}"?)` : '';
  return { reason: 'unknown-label', field: 'label', detail: `label "${unknown}" is not one of ${classes!.join(', ')}${hint}` };
});

sampleValidators.register('no-content', (sample) =>
  sample.image === undefined && sample.audio === undefined && sample.text === undefined
    ? { reason: 'no-content', detail: 'the row has no image, audio or text' }
    : undefined,
);
