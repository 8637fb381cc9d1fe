import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '@omnitrain/cli';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';

describe('omnitrain eval / predict on bad run folders', () => {
  it('a missing run folder is a config error naming its config.json', async () => {
    const dir = join(tmpdir(), `no-run-${Math.random().toString(36).slice(2)}`);
    const r = await runOmnitrain(['eval', dir]);
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toContain(`cli.loadRun: expected a run folder with config.json (written by omnitrain train), got ENOENT (file ${join(dir, 'config.json')})`);
  });

  it('a half-written config.json is named, with a hint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-cli-half-'));
    await mkdir(join(dir, 'checkpoints'));
    await writeFile(join(dir, 'config.json'), '{"name": "x", "data": {');
    const r = await runOmnitrain(['predict', join(dir, 'checkpoints', 'step-00000001.safetensors'), 'm.jsonl']);
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toContain(`(file ${join(dir, 'config.json')}). Hint: the run folder is half-written; train again`);
  });
});
