import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTsPath } from '@omnitrain/testing';
import { CheckpointError, readSafetensors, writeFileAtomic, writeSafetensors } from '@omnitrain/core';
import type { SafetensorsTensor } from '@omnitrain/core';

const fixtures = fileURLToPath(new URL('./test-fixtures/', import.meta.url));
/** Temporary files are `.<name>.tmp-<host>-<pid>-<random>`, host being the CRC-32 of the hostname. */
const host = crc32(hostname()).toString(16).padStart(8, '0');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omnitrain-atomic-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function randomWeights(count: number): Record<string, SafetensorsTensor> {
  return { w: { dtype: 'F32', shape: [count], data: Float32Array.from({ length: count }, () => Math.random() - 0.5) } };
}

/** The first line the child prints; rejects, with its stderr, if it exits first. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.on('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before reporting: ${err}`)));
  });
}

describe('writeFileAtomic', () => {
  it('keeps the previous checkpoint intact when the writer is SIGKILLed mid-write; the next write cleans up', async () => {
    const target = join(dir, 'last.safetensors');
    const a = randomWeights(1000);
    await writeSafetensors(target, a, { checkpoint: 'A' });
    const aBytes = await readFile(target);

    // A real process writes a 256 MB checkpoint B over A with the real code, and stops halfway.
    const child = spawn(
      process.execPath,
      ['--import', registerTsPath, join(fixtures, 'crash-writer.mjs'), target, '256'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = once(child, 'exit');
    const report = await firstLine(child);
    const [, written, total] = /^mid-write (\d+) (\d+)$/.exec(report)!.map(Number);
    expect(total).toBeGreaterThan(256 * 2 ** 20);
    expect(written).toBeGreaterThanOrEqual(total! / 2);
    expect(written).toBeLessThan(total!);

    // Mid-write: B's bytes so far sit in a temporary file beside A, which is untouched.
    const temps = (await readdir(dir)).filter((n) => n.startsWith('.last.safetensors.tmp-'));
    expect(temps).toHaveLength(1);
    expect(temps).toEqual([`.last.safetensors.tmp-${host}-${child.pid}-${temps[0]!.slice(-8)}`]);
    expect((await stat(join(dir, temps[0]!))).size).toBe(written);
    expect((await readFile(target)).equals(aBytes)).toBe(true);

    child.kill('SIGKILL');
    expect(await exited).toEqual([null, 'SIGKILL']);

    // After the crash: still exactly A, and it loads and verifies.
    expect((await readFile(target)).equals(aBytes)).toBe(true);
    expect(await readSafetensors(target)).toMatchObject({ tensors: a, metadata: { checkpoint: 'A' } });
    expect(await readdir(dir)).toContain(temps[0]);

    // The next write succeeds and removes the dead writer's temporary file.
    const c = randomWeights(500);
    await writeSafetensors(target, c, { checkpoint: 'C' });
    expect((await readdir(dir)).sort()).toEqual(['last.safetensors']);
    expect(await readSafetensors(target)).toMatchObject({ tensors: c, metadata: { checkpoint: 'C' } });
  }, 120_000);

  it('removes only temporary files whose writer is gone', async () => {
    const target = join(dir, 'stale.bin');
    const exited = spawn(process.execPath, ['-e', '']);
    await once(exited, 'exit');
    const dead = `.stale.bin.tmp-${host}-${exited.pid}-0a1b2c3d`;
    const live = `.stale.bin.tmp-${host}-${process.pid}-0a1b2c3d`; // another write in this process
    const foreignOld = '.stale.bin.tmp-00000000-1-0a1b2c3d'; // another host, untouched for 2 days
    const foreignNew = '.stale.bin.tmp-00000000-2-0a1b2c3d'; // another host, maybe still writing
    const unrelated = ['.other.bin.tmp-00000000-3-0a1b2c3d', '.stale.bin.tmp-notes', 'stale.bin.bak'];
    for (const name of [dead, live, foreignOld, foreignNew, ...unrelated]) await writeFile(join(dir, name), 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(join(dir, foreignOld), twoDaysAgo, twoDaysAgo);

    await writeFileAtomic(target, [Buffer.from('new contents')]);

    const left = await readdir(dir);
    expect(left).not.toContain(dead);
    expect(left).not.toContain(foreignOld);
    expect(left).toEqual(expect.arrayContaining([live, foreignNew, ...unrelated, 'stale.bin']));
    expect(await readFile(target, 'utf8')).toBe('new contents');
    await Promise.all([live, foreignNew, ...unrelated].map((n) => rm(join(dir, n))));
  });

  it('removes its temporary file and leaves the target alone when the contents fail midway', async () => {
    const target = join(dir, 'fail.bin');
    await writeFile(target, 'old');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(1 << 20, 7);
      throw new Error('producer failed');
    }
    await expect(writeFileAtomic(target, failing())).rejects.toThrow(/^producer failed$/);
    expect(await readFile(target, 'utf8')).toBe('old');
    expect((await readdir(dir)).filter((n) => n.includes('fail.bin'))).toEqual(['fail.bin']);
  });

  it('ends with one complete version when writes to one file race', async () => {
    const target = join(dir, 'race.bin');
    const versions = Array.from({ length: 8 }, (_, i) => Buffer.alloc(200_000 + i * 1000, i + 1));
    await Promise.all(versions.map((v) => writeFileAtomic(target, [v.subarray(0, 1000), v.subarray(1000)])));
    const final = await readFile(target);
    expect(versions.some((v) => v.equals(final))).toBe(true);
    expect((await readdir(dir)).filter((n) => n.includes('race.bin'))).toEqual(['race.bin']);
  });

  it('names the file when the target is a directory', async () => {
    const target = join(dir, 'a-directory');
    await mkdir(target);
    const error = await writeFileAtomic(target, [Buffer.from('x')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).where).toBe(`file ${target}`);
    expect((await readdir(dir)).filter((n) => n.includes('a-directory'))).toEqual(['a-directory']);
    expect((error as Error).message).toMatch(/got E(ISDIR|EXIST|NOTEMPTY|PERM)/);
  });
});
