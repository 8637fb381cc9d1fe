/**
 * The pattern of checkpoint file names: `step-<8 digits>.safetensors`.
 *
 * @example
 * CHECKPOINT_FILE_PATTERN.test('step-00000120.safetensors'); // true
 */
export const CHECKPOINT_FILE_PATTERN = /^step-(\d{8,})\.safetensors$/;

/**
 * The file name of the checkpoint after `step` optimizer steps.
 *
 * @example
 * checkpointFileName(120); // 'step-00000120.safetensors'
 */
export function checkpointFileName(step: number): string {
  return `step-${String(step).padStart(8, '0')}.safetensors`;
}
