import { ConfigError, OmnitrainError } from '@omnitrain/core';
import type { ErrorDetails } from '@omnitrain/core';

/**
 * The same error class with `place` (`step 3, epoch 0`) added to `where`; a non-Omnitrain error is
 * wrapped in an OmnitrainError of `op`. The original stays as `cause`.
 *
 * @example
 * throw withPlace(error, `step ${step}, epoch ${epoch}`, 'engine.Trainer.fit');
 */
export function withPlace(error: unknown, place: string, op: string): Error {
  if (error instanceof OmnitrainError) {
    if (error.where?.includes(place)) return error;
    const details: ErrorDetails = {
      op: error.op,
      expected: error.expected,
      received: error.received,
      where: error.where ? `${error.where}; ${place}` : place,
      hint: error.hint,
      cause: error,
    };
    if (error instanceof ConfigError) return new ConfigError(details, error.issues);
    try {
      return new (error.constructor as new (d: ErrorDetails) => Error)(details);
    } catch {
      return new OmnitrainError(details);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OmnitrainError({ op, expected: 'the training step to succeed', received: `an error: ${message}`, where: place, cause: error });
}
