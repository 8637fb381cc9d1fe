// Test helper: writes a small file tree into a fresh temporary folder.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Creates a temporary folder holding `files` (relative path -> content) and returns its path.
 *
 * @example const root = await tempTree({ 'cat/1.png': 'x', 'm.csv': 'image,label\ncat/1.png,cat\n' });
 */
export async function tempTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'omnitrain-data-'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return root;
}
