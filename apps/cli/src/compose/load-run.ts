import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ConfigError, loadConfig, loadConfigObject, writeFileAtomic } from '@omnitrain/core';
import { runConfigSchema } from '../config/run-config.js';
import type { RunConfig } from '../config/run-config.js';
import { newRunId, runFolder } from '../run/run-folder.js';
import type { RunFolder } from '../run/run-folder.js';

/** A run file resolved: its config (name and runId filled in) and its folder's paths. */
export interface LoadedRun {
  config: RunConfig & { name: string };
  folder: RunFolder;
}

/**
 * Reads and validates a run file with its `--set` overrides and picks the run folder: `--run-id`,
 * else `telemetry.runId`, else `OMNITRAIN_RUN_ID` (set by the launcher for its workers), else a new
 * `<name>-<UTC time>`.
 *
 * @param file The run YAML.
 * @param overrides `--set` values.
 * @param runId `--run-id`, if given.
 * @throws ConfigError at `file:line:col` for every problem.
 *
 * @example
 * const { config, folder } = await loadRun('examples/digits.yaml', ['train.epochs=1']);
 */
export async function loadRun(file: string, overrides: readonly string[] = [], runId?: string): Promise<LoadedRun> {
  const config = await loadConfig(file, runConfigSchema, { overrides });
  const name = config.name ?? basename(file, extname(file));
  const id = runId ?? config.telemetry.runId ?? process.env['OMNITRAIN_RUN_ID'] ?? newRunId(name);
  return { config: { ...config, name, telemetry: { ...config.telemetry, runId: id } }, folder: runFolder(config.telemetry.runsDir, id) };
}

/**
 * Writes the resolved config to `<run>/config.json` (atomically), creating the folder.
 *
 * @example
 * await saveRunConfig(loaded);
 */
export async function saveRunConfig(run: LoadedRun): Promise<void> {
  await mkdir(run.folder.dir, { recursive: true });
  await writeFileAtomic(run.folder.config, [Buffer.from(`${JSON.stringify(run.config, null, 2)}\n`)]);
}

/**
 * Reads a run back from its folder, or from a checkpoint file inside `<run>/checkpoints/`, for
 * `eval` and `predict`; overrides apply on top (e.g. `--set data.manifest=...`).
 *
 * @param target A run folder or a checkpoint file.
 * @param overrides `--set` values.
 * @returns The run and the checkpoint file (given, or the folder's latest; undefined when none).
 * @throws ConfigError when the folder has no readable config.json.
 *
 * @example
 * const { run, checkpoint } = await loadRunFrom('runs/digits-a');
 */
export async function loadRunFrom(target: string, overrides: readonly string[] = []): Promise<{ run: LoadedRun; checkpoint: string | undefined }> {
  const isFile = target.endsWith('.safetensors');
  const dir = isFile ? dirname(dirname(target)) : target;
  const configPath = join(dir, 'config.json');
  const text = await readFile(configPath, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new ConfigError({
      op: 'cli.loadRun',
      expected: 'a run folder with config.json (written by omnitrain train)',
      received: cause.code ?? cause.message,
      where: `file ${configPath}`,
      hint: isFile ? 'the checkpoint must sit in <run>/checkpoints/' : 'pass runs/<runId> or a checkpoint file inside it',
      cause,
    });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError({ op: 'cli.loadRun', expected: 'JSON', received: (cause as Error).message, where: `file ${configPath}`, hint: 'the run folder is half-written; train again', cause });
  }
  const config = loadConfigObject(json, runConfigSchema, { source: configPath, overrides });
  const runId = basename(dir);
  const run: LoadedRun = {
    config: { ...config, name: config.name ?? runId, telemetry: { ...config.telemetry, runId } },
    folder: { ...runFolder(dirname(dir), runId) },
  };
  const { latestCheckpoint } = await import('@omnitrain/engine');
  const checkpoint = isFile ? target : await latestCheckpoint(run.folder.checkpoints, { onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
  return { run, checkpoint };
}
