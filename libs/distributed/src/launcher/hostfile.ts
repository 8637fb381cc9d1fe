import { ConfigError } from '@omnitrain/core';

/** One host of a hostfile and how many workers it runs. */
export interface HostSlots {
  readonly host: string;
  readonly slots: number;
}

/**
 * Parses an MPI/DeepSpeed-style hostfile: one `host slots=N` per line (`slots` defaults to 1),
 * `#` comments and blank lines ignored.
 *
 * @param text The file's contents.
 * @param file The file name, for error messages.
 * @throws ConfigError naming the file and line of a malformed entry or a repeated host.
 * @example
 * parseHostfile('node1 slots=2\nnode2 slots=2'); // [{ host: 'node1', slots: 2 }, { host: 'node2', slots: 2 }]
 */
export function parseHostfile(text: string, file = 'hostfile'): HostSlots[] {
  const hosts: HostSlots[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const m = /^(\S+)(?:\s+slots\s*=\s*(\S+))?$/.exec(line);
    const slots = m?.[2] === undefined ? 1 : Number(m[2]);
    if (!m || !Number.isInteger(slots) || slots < 1) {
      throw new ConfigError({ op: 'parseHostfile', expected: '`host slots=N` with N an integer >= 1', received: JSON.stringify(raw.trim()), where: `${file}:${i + 1}` });
    }
    if (hosts.some((h) => h.host === m[1])) {
      throw new ConfigError({ op: 'parseHostfile', expected: 'each host once', received: `${m[1]} again`, where: `${file}:${i + 1}` });
    }
    hosts.push({ host: m[1]!, slots });
  });
  if (hosts.length === 0) throw new ConfigError({ op: 'parseHostfile', expected: 'at least one host', received: 'none', where: file });
  return hosts;
}
