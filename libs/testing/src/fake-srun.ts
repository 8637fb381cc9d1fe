/**
 * A stand-in for Slurm's `srun` (a bash script) for tests on machines without Slurm: it drops srun's
 * `--options`, then starts `SLURM_NTASKS` copies of the command, copy i with `SLURM_PROCID=i` and
 * `SLURM_LOCALID=i`, and exits non-zero when any copy does. Write it as `srun` (mode 0o755) into a
 * folder put first on `PATH`.
 *
 * @example
 * await writeFile(join(bin, 'srun'), FAKE_SRUN, { mode: 0o755 });
 * spawn('bash', [script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, SLURM_NTASKS: '2' } });
 */
export const FAKE_SRUN = `#!/bin/bash
while [[ "$1" == --* ]]; do shift; done
pids=()
for ((i = 0; i < SLURM_NTASKS; i++)); do SLURM_PROCID=$i SLURM_LOCALID=$i "$@" & pids+=($!); done
status=0
for p in "\${pids[@]}"; do wait "$p" || status=$?; done
exit $status
`;
