// The child process of the crash test (write-file-atomic.test.ts). It writes a large checkpoint
// with the real writeSafetensors and, once half of the file is written, says so on stdout and
// blocks, so the test can SIGKILL it at a known point in the middle of the write.
// Usage: node --import <registerTsPath of @omnitrain/testing> crash-writer.mjs <target> <megabytes>
import { randomFillSync } from 'node:crypto';
import { writeSync } from 'node:fs';
import { writeSafetensors } from '../write-safetensors.ts';

const [target, megabytes] = process.argv.slice(2);
const tensorBytes = 32 * 2 ** 20;
const tensors = {};
for (let i = 0; i * tensorBytes < Number(megabytes) * 2 ** 20; i++) {
  tensors[`layer${i}/kernel`] = {
    dtype: 'F32',
    shape: [1024, tensorBytes / 4 / 1024],
    data: randomFillSync(new Float32Array(tensorBytes / 4)),
  };
}

let reported = false;
await writeSafetensors(target, tensors, { checkpoint: 'B' }, {
  onProgress(written, total) {
    if (reported || written < total / 2) return;
    reported = true;
    writeSync(1, `mid-write ${written} ${total}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // blocks until killed
  },
});
writeSync(1, 'finished\n');
