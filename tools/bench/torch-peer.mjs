// The PyTorch peer of the benchmarks (train.mjs, scaling.mjs): where it runs and whether it is there.
import { execFileSync } from 'node:child_process';

/** The environment of every PyTorch peer process: Debian's pthread OpenBLAS, one thread everywhere. */
export const TORCH_ENV = { LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/**
 * Whether /usr/bin/python3 imports torch (and, with `gloo`, has its Gloo backend): `{ ok, version }`,
 * or `{ ok: false, why }` with the install hint (a benchmark prints the rest without its peer).
 * @param {{ gloo?: boolean }} [options]
 * @returns {{ ok: true, version: string } | { ok: false, why: string }}
 */
export function torchStatus({ gloo = false } = {}) {
  const check = gloo ? 'import torch, torch.distributed as d; assert d.is_gloo_available(); print(torch.__version__)' : 'import torch; print(torch.__version__)';
  try {
    const v = execFileSync('/usr/bin/python3', ['-c', check], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    return { ok: true, version: v };
  } catch (e) {
    return { ok: false, why: `/usr/bin/python3 cannot import torch${gloo ? ' with Gloo' : ''} (${String(e.stderr ?? e.message).trim().split('\n').pop()}); install: apt-get install -y python3-torch libopenblas0-pthread` };
  }
}
