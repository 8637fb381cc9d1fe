import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '@omnitrain/cli';
import { runOmnitrain } from '../../test-fixtures/run-omnitrain.js';
import { writeTinyRun } from '../../test-fixtures/tiny-run.js';

describe('omnitrain dashboard', () => {
  it('serves the runs folder at the printed URL and exits 130 on Ctrl-C after closing', async () => {
    const tiny = await writeTinyRun(8);
    const trained = await runOmnitrain(['train', tiny.config, '--run-id', 'seen', '--set', 'train.epochs=1'], { cwd: tiny.dir });
    expect(trained.code, trained.stderr).toBe(0);
    let listed: { total: number; runs: Array<{ runId: string; state: string }> } | undefined;
    const r = await runOmnitrain(['dashboard', '--runs', 'runs', '--port', '0'], {
      cwd: tiny.dir,
      onOutput: (text, child) => {
        const url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)?.[1];
        if (url === undefined || listed !== undefined) return;
        listed = { total: 0, runs: [] };
        // The runs folder is ingested in the background: poll until the run is there (10 s at most).
        void (async () => {
          for (let i = 0; i < 100; i++) {
            listed = (await (await fetch(`${url}api/runs`)).json()) as typeof listed;
            if (listed?.runs.some((run) => run.state === 'completed')) break;
            await new Promise((r) => setTimeout(r, 100));
          }
        })().finally(() => child.kill('SIGINT'));
      },
    });
    expect(r.code, r.stderr).toBe(EXIT_CODES.interrupted);
    expect(r.stderr).toContain('interrupted (SIGINT)');
    expect(listed?.runs.map((run) => [run.runId, run.state])).toEqual([['seen', 'completed']]);
  });

  it('refuses a non-loopback host without a token (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omnitrain-cli-dash-'));
    const r = await runOmnitrain(['dashboard', '--runs', join(dir, 'runs'), '--host', '0.0.0.0', '--port', '0'], { env: { OMNITRAIN_DASHBOARD_TOKEN: '' } });
    expect(r.code).toBe(EXIT_CODES.config);
    expect(r.stderr).toContain('without a token');
  });
});
