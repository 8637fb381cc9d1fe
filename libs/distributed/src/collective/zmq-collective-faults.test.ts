// Faults with real processes: a worker SIGKILLed or SIGSTOPped during all-reduce or rendezvous is
// noticed by every survivor (killed: within 1 s; frozen: within 10 s) with an error naming the rank,
// host, step and operation; CURVE keeps out a process without the job secret; a foreign protocol
// version is refused.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';
import { ConfigError, DistributedError } from '@omnitrain/core';
import { Dtype, Op, PROTOCOL_VERSION, ZmqCollective, decodeHeader, encodeHeader, findFreePort, jobTag } from '@omnitrain/distributed';
import { startZmqGroup } from '../../test-fixtures/worker-group.js';
import type { WorkerGroup } from '../../test-fixtures/worker-group.js';

const rand = (k: number): number => Math.floor(Math.random() * k);
const host = hostname();

/** Sends `signal` to `victim` once the survivors are inside their all-reduce loop; returns each survivor's error and latency. */
async function faultDuringAllReduce(g: WorkerGroup, n: number, victim: number, signal: NodeJS.Signals): Promise<Array<{ error: string; ms: number }>> {
  const survivors = Array.from({ length: n }, (_, r) => r).filter((r) => r !== victim);
  const id = g.send('loop', { n: 200_000, iterations: 1e9, seed: rand(1e9) }, Array.from({ length: n }, (_, r) => r));
  await new Promise((r) => setTimeout(r, 700));
  const t0 = Date.now();
  g.children[victim]!.kill(signal);
  return Promise.all(
    survivors.map(async (r) => {
      const reply = await g.reply(r, id, 20_000);
      return { error: reply.error ?? JSON.stringify(reply.result), ms: Date.now() - t0 };
    }),
  );
}

describe('ZmqCollective faults (real processes)', () => {
  it('a worker SIGKILLed during all-reduce is noticed by all survivors within 1 s, naming rank, host, step and operation', async () => {
    const n = 3;
    const g = await startZmqGroup(n, { allReduceAlgorithm: 'direct' }); // the mesh's connections too (SIGSTOP below: the ring)
    const victim = rand(n);
    try {
      for (const { error, ms } of await faultDuringAllReduce(g, n, victim, 'SIGKILL')) {
        expect(ms).toBeLessThan(1000);
        expect(error).toContain(`rank ${victim} (host ${host})`);
        expect(error).toMatch(/ZmqCollective\.allReduce/);
        expect(error).toMatch(/step \d+/);
      }
    } finally {
      await g.close();
    }
  });

  it('a worker SIGSTOPped during all-reduce is noticed by all survivors within 10 s', async () => {
    const n = 3;
    const g = await startZmqGroup(n, { heartbeatIntervalMs: 500, heartbeatTimeoutMs: 3000 });
    const victim = rand(n);
    try {
      for (const { error, ms } of await faultDuringAllReduce(g, n, victim, 'SIGSTOP')) {
        expect(ms).toBeLessThan(10_000);
        expect(error).toContain(`rank ${victim} (host ${host})`);
        expect(error).toMatch(/allReduce/);
      }
    } finally {
      g.children[victim]!.kill('SIGKILL');
      await g.close();
    }
  });

  it('a worker SIGKILLed during the rendezvous is noticed within 1 s', async () => {
    // Ranks 0 and 1 of 3 start (rank 2 never does), so both wait in the rendezvous; then one dies.
    const g = await startZmqGroup(3, {}, {}, { ranks: [0, 1], waitReady: false });
    try {
      await Promise.all([g.reply(0, 'joining', 30_000), g.reply(1, 'joining', 30_000)]);
      await new Promise((r) => setTimeout(r, 1500));
      const victim = rand(2);
      const t0 = Date.now();
      g.children[victim]!.kill('SIGKILL');
      const reply = await g.reply(1 - victim, 'ready', 10_000);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(reply.error).toContain(`rank ${victim} (host `);
    } finally {
      await g.close();
    }
  });

  it('CURVE: a worker without the job secret cannot join (the conformance suite runs N = 3 with a secret)', async () => {
    const secret = `s-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const bad = await startZmqGroup(2, { rendezvousTimeoutMs: 2500 }, {}, { envOf: (r) => ({ OMNITRAIN_JOB_SECRET: r === 0 ? secret : `${secret}-wrong` }) });
    try {
      expect(bad.ready[0]!.error).toMatch(/no hello from ranks 1/);
      expect(bad.ready[1]!.error).toMatch(/rendezvous/);
    } finally {
      await bad.close();
    }
  });

  it('binding a non-loopback rendezvous address without a secret is refused', async () => {
    await expect(ZmqCollective.connect({ rank: 0, worldSize: 2, masterAddr: '0.0.0.0', masterPort: await findFreePort() })).rejects.toThrow(ConfigError);
    await expect(ZmqCollective.connect({ rank: 0, worldSize: 2, masterAddr: '0.0.0.0', masterPort: 1 })).rejects.toThrow(/OMNITRAIN_JOB_SECRET/);
  });

  it('rank 0 refuses a hello of another protocol version or job, and names the ranks that never joined', async () => {
    const port = await findFreePort();
    const rank0 = ZmqCollective.connect({ rank: 0, worldSize: 2, masterPort: port, jobId: 'job-a', rendezvousTimeoutMs: 3000 });
    const failed = rank0.then(
      () => undefined,
      (e: unknown) => e,
    );
    const tag = jobTag('job-a');
    for (const [version, t] of [[PROTOCOL_VERSION + 1, tag], [PROTOCOL_VERSION, jobTag('job-b')]] as const) {
      const dealer = new zmq.Dealer({ linger: 0 });
      dealer.connect(`tcp://127.0.0.1:${port}`);
      const body = Buffer.from(JSON.stringify({ rank: 1, worldSize: 2, host, pid: 1, addresses: { tcp: 'tcp://127.0.0.1:1' } }));
      await dealer.send([encodeHeader({ version, op: Op.hello, dtype: Dtype.json, jobTag: t, seq: 0, part: 0, length: body.length, sender: 1 }), body]);
      const [h, p] = await dealer.receive();
      const header = decodeHeader(h!, p!, { jobTag: tag });
      expect(header.op).toBe(Op.reject);
      expect(JSON.parse(p!.toString()).reason).toMatch(version !== PROTOCOL_VERSION ? new RegExp(`protocol version ${PROTOCOL_VERSION}, got ${PROTOCOL_VERSION + 1} from rank 1`) : /job tag/);
      dealer.close();
    }
    const error = await failed;
    expect(error).toBeInstanceOf(DistributedError);
    expect(String(error)).toMatch(/no hello from ranks 1/);
  });
});
