// Test-only preload (`NODE_OPTIONS=--import <this file>`) that holds a worker at a chosen moment so a
// test can kill or freeze processes exactly there; nothing in the product knows about it.
//
// OMNITRAIN_TEST_HOOK_DIR     folder for the marker files the test waits for (required to do anything)
// OMNITRAIN_TEST_HOLD_MS      how long to hold at most, ms (default 4000); a checkpoint hold also ends
//                             as soon as the test writes `<hook dir>/release`
// OMNITRAIN_TEST_HOLD_CHECKPOINT=<step>  in the first attempt, the writer of step-<step>.safetensors
//   stops between writing+fsyncing the temporary file and renaming it over the target: it writes the
//   marker `checkpoint-<pid>.json` ({ pid, temp, target }) and waits (the event loop keeps running).
// OMNITRAIN_TEST_HOLD_WHILE_ARMED=1  any checkpoint writer (the chief) stops before renaming its
//   temporary file while `<hook dir>/armed` exists and `<hook dir>/release` does not (at most the hold
//   time): an elastic test arms it when it kills a worker and releases it when the replacement waits to
//   join, so the survivor cannot finish the run before the join, however slow the replacement starts.
// OMNITRAIN_TEST_HOLD_FIRST_STEP=<attempt>  in that attempt, rank 0 stops right after loading the
//   checkpoint, before its first step (its peers are already in theirs, waiting on the all-reduce):
//   marker `first-step-<pid>.json`, then its thread blocks (Atomics.wait), as a busy step would.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { basename, join } from 'node:path';

const dir = process.env.OMNITRAIN_TEST_HOOK_DIR;
const holdMs = Number(process.env.OMNITRAIN_TEST_HOLD_MS ?? 4000);
const attempt = process.env.OMNITRAIN_RESTART;
const marker = (name, data) => fs.writeFileSync(join(dir, `${name}-${process.pid}.json`), JSON.stringify({ pid: process.pid, rank: Number(process.env.RANK), ...data }));

const step = process.env.OMNITRAIN_TEST_HOLD_CHECKPOINT;
if (dir && step !== undefined && attempt === '0') {
  const target = `step-${String(step).padStart(8, '0')}.safetensors`;
  const rename = fsp.rename;
  let held = false;
  fsp.rename = async (from, to) => {
    if (!held && basename(String(to)) === target && basename(String(from)).startsWith(`.${target}.tmp-`)) {
      held = true;
      marker('checkpoint', { temp: String(from), target: String(to) });
      const until = Date.now() + holdMs;
      while (Date.now() < until && !fs.existsSync(join(dir, 'release'))) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return rename(from, to);
  };
  syncBuiltinESMExports();
}

const firstStep = process.env.OMNITRAIN_TEST_HOLD_FIRST_STEP;
if (dir && firstStep !== undefined && attempt === firstStep && process.env.RANK === '0') {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk, ...rest) => {
    const out = write(chunk, ...rest);
    if (String(chunk).startsWith('@omnitrain-phase resume ')) {
      marker('first-step', {});
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs);
    }
    return out;
  };
}

if (dir && process.env.OMNITRAIN_TEST_HOLD_WHILE_ARMED === '1') {
  const rename = fsp.rename;
  const armed = () => fs.existsSync(join(dir, 'armed')) && !fs.existsSync(join(dir, 'release'));
  fsp.rename = async (from, to) => {
    if (/^step-\d+\.safetensors$/.test(basename(String(to))) && armed()) {
      marker('held', { target: String(to) });
      const until = Date.now() + holdMs;
      while (Date.now() < until && armed()) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return rename(from, to);
  };
  syncBuiltinESMExports();
}
