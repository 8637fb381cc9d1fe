/// <reference lib="dom" />
// End-to-end: the real server, a real tiny tfjs training run in a child process, real headless Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDashboard } from '@omnitrain/dashboard';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../test-fixtures/temp-dir.js';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(APP, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function train(runsDir: string, runId: string, steps: number, lr: number): ChildProcess {
  const child = spawn(process.execPath, [join(APP, 'test-fixtures', 'train-tiny.mjs'), runsDir, runId, String(steps), String(lr)], { cwd: APP, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('exit', (code) => { if (code !== 0 && code !== null) console.error(`train-tiny ${runId} exited ${code}: ${stderr}`); });
  onTestFinished(() => { if (child.exitCode === null) child.kill(); });
  return child;
}

const chartPoints = (page: Page, title: string): Promise<number> =>
  page.$eval(`.chart[data-title="${title}"]`, (el) => Number(el.getAttribute('data-points'))).catch(() => 0);

describe('dashboard end to end (headless Chromium)', () => {
  it('shows a live loss curve, filters runs, compares two runs', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`dashboard e2e: expected Chromium at ${CHROMIUM}, found none; install it with \`apt-get install -y chromium\``);
    if (!existsSync(join(APP, 'dist', 'ui', 'index.html'))) {
      throw new Error('dashboard e2e: the UI bundle apps/dashboard/dist/ui/index.html is missing; build it with `npm run build -w @omnitrain/dashboard` (or `npx vite build` in apps/dashboard)');
    }
    const runsDir = await tempDir();
    const server = await startDashboard({ runsDir, pollMs: 100 });
    onTestFinished(() => server.close());
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 20_000 });
    onTestFinished(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.goto(server.url);

    train(runsDir, 'run-a', 90, 0.1);
    train(runsDir, 'run-b', 20, 0.5);

    // Live: the loss curve of run-a gets more points while it trains.
    await page.click('.run[data-run="run-a"]');
    await page.waitForFunction(() => Number(document.querySelector('.chart[data-title="loss"]')?.getAttribute('data-points') ?? 0) > 0);
    const first = await chartPoints(page, 'loss');
    await page.waitForFunction((n) => Number(document.querySelector('.chart[data-title="loss"]')?.getAttribute('data-points') ?? 0) > n, first);
    const later = await chartPoints(page, 'loss');
    console.log(`dashboard e2e: live loss points ${first} -> ${later}`);
    expect(later).toBeGreaterThan(first);

    // Filter: a glob, then a regex, each keeps one of the two runs.
    await page.waitForSelector('.run[data-run="run-b"]');
    await page.fill('input.filter', 'run-b*');
    await page.waitForFunction(() => document.querySelectorAll('.run').length === 1);
    expect(await page.$$eval('.run', (els) => els.map((e) => e.getAttribute('data-run')))).toEqual(['run-b']);
    await page.fill('input.filter', '/^run-a$/');
    await page.waitForFunction(() => document.querySelector('.run')?.getAttribute('data-run') === 'run-a' && document.querySelectorAll('.run').length === 1);
    await page.fill('input.filter', '');
    await page.waitForFunction(() => document.querySelectorAll('.run').length === 2);

    // Compare: tick both runs; both loss series are drawn, with an hparams table.
    await page.click('.run[data-run="run-b"] input[type=checkbox]');
    await page.waitForFunction(() => {
      const counts = (document.querySelector('.chart[data-title="train loss (compare)"]')?.getAttribute('data-line-points') ?? '').split(',').map(Number);
      return counts.length === 2 && counts.every((n) => n > 0);
    });
    expect(await page.$$eval('table.hparams tr', (rows) => rows.length)).toBe(3);

    await mkdir(join(REPO, 'reports', 'dashboard'), { recursive: true });
    await page.screenshot({ path: join(REPO, 'reports', 'dashboard', 'e2e.png') });
    // The README screenshot: run-a's own view once it has trained a while.
    await page.click('.run[data-run="run-a"]');
    await page.waitForFunction(() => Number(document.querySelector('.chart[data-title="loss"]')?.getAttribute('data-points') ?? 0) > 60);
    await page.screenshot({ path: join(REPO, 'reports', 'dashboard', 'run.png') });

    // Printed, not asserted: first render of a 200k-point uPlot chart in this Chromium.
    const ms = await page.evaluate(async () => {
      const U = (window as unknown as { uPlot: new (o: unknown, d: unknown, el: HTMLElement) => unknown }).uPlot;
      const n = 200_000;
      const xs = new Float64Array(n);
      const ys = new Float64Array(n);
      for (let i = 0; i < n; i++) { xs[i] = i; ys[i] = Math.sin(i / 500) + Math.random() * 0.1; }
      const el = document.createElement('div');
      document.body.appendChild(el);
      const t0 = performance.now();
      new U({ width: 800, height: 300, scales: { x: { time: false } }, series: [{}, { stroke: 'red' }] }, [xs, ys], el);
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      return performance.now() - t0;
    });
    console.log(`dashboard e2e: first render of a 200k-point uPlot chart: ${ms.toFixed(1)} ms`);
  }, 60_000);
});
