import type { WorkerSpec } from './launch-group.js';
import type { HostSlots } from './hostfile.js';
import { WORKER_PHASE_ENV } from './worker-phase.js';

/** Options of {@link sshCommandLines}. */
export interface SshCommandOptions {
  readonly hosts: readonly HostSlots[];
  /** The worker command on the remote hosts, e.g. `node`. */
  readonly command: string;
  readonly args?: readonly string[];
  /** Folder to `cd` into on the remote host (the project checkout). */
  readonly cwd?: string;
  /** Environment every worker gets (OMNITRAIN_JOB_SECRET goes here for multi-host jobs). */
  readonly env?: Readonly<Record<string, string>>;
  /** Rendezvous host; default the first host. */
  readonly masterAddr?: string;
  readonly masterPort: number;
  readonly jobId: string;
  /** Restart count for OMNITRAIN_RESTART. Default 0. */
  readonly restart?: number;
  /** Extra ssh options. Default `['-o', 'BatchMode=yes']`. */
  readonly sshArgs?: readonly string[];
}

/** Quotes `s` for a POSIX shell. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `ssh` command line of every worker of a multi-host job: ranks are numbered host by host in
 * hostfile order, LOCAL_RANK counts within a host, and each remote shell gets the torchrun-style
 * variables. `launchGroup({ workers: () => sshCommandLines(...) })` runs them.
 *
 * @example
 * sshCommandLines({ hosts: parseHostfile('a slots=2\nb slots=2'), command: 'node', args: ['train.js'], masterPort: 29500, jobId: 'j1' })[2]!.argv;
 * // ['ssh', '-o', 'BatchMode=yes', 'b', 'env RANK=2 WORLD_SIZE=4 LOCAL_RANK=0 MASTER_ADDR=a ... node train.js']
 */
export function sshCommandLines(o: SshCommandOptions): Array<WorkerSpec & { host: string }> {
  const worldSize = o.hosts.reduce((n, h) => n + h.slots, 0);
  const masterAddr = o.masterAddr ?? o.hosts[0]!.host;
  const out: Array<WorkerSpec & { host: string }> = [];
  for (const { host, slots } of o.hosts) {
    for (let local = 0; local < slots; local++) {
      const rank = out.length;
      const vars: Record<string, string> = {
        ...o.env,
        RANK: String(rank),
        WORLD_SIZE: String(worldSize),
        LOCAL_RANK: String(local),
        MASTER_ADDR: masterAddr,
        MASTER_PORT: String(o.masterPort),
        OMNITRAIN_JOB_ID: o.jobId,
        OMNITRAIN_RESTART: String(o.restart ?? 0),
        OMNITRAIN_ADVERTISE_ADDR: host,
        [WORKER_PHASE_ENV]: '1',
      };
      const envPart = Object.entries(vars).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
      const cmd = [o.command, ...(o.args ?? [])].map(shellQuote).join(' ');
      const remote = `${o.cwd ? `cd ${shellQuote(o.cwd)} && ` : ''}exec env ${envPart} ${cmd}`;
      out.push({ rank, host, argv: ['ssh', ...(o.sshArgs ?? ['-o', 'BatchMode=yes']), host, remote], env: {} });
    }
  }
  return out;
}
