// Test helper: a fresh temporary folder, removed when the test finishes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** Creates an empty temporary folder for the running test and removes it when the test ends. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'omnitrain-dashboard-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
