import type { TransferReport } from './load-partial-weights.js';
import { reportLines } from './load-partial-weights.js';

/**
 * A human-readable summary of a {@link TransferReport}: counts, then one line per missing,
 * unexpected and shape-mismatched tensor.
 *
 * @example
 * console.log(formatTransferReport(loadPartialWeights(model.variables, tensors)));
 * // loaded 10 of 12 variables; 2 missing, 0 unexpected, 1 shape mismatch
 * //   missing: head/w ...
 */
export function formatTransferReport(report: TransferReport): string {
  const total = report.matched.length + report.missing.length + report.shapeMismatched.length;
  const head = `loaded ${report.matched.length} of ${total} variables; ${report.missing.length} missing, ${report.unexpected.length} unexpected, ${report.shapeMismatched.length} shape mismatch${report.shapeMismatched.length === 1 ? '' : 'es'}`;
  return [head, ...reportLines(report).map((l) => `  ${l}`)].join('\n');
}
