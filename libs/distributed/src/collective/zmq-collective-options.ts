import { tmpdir } from 'node:os';
import { z } from 'zod';

/** The schema of {@link ZmqCollectiveOptions}. */
export const zmqCollectiveOptionsSchema = z.strictObject({
  rank: z.number().int().min(0).describe('This process\'s rank, 0-based (RANK).'),
  worldSize: z.number().int().min(1).max(65535).describe('Number of ranks (WORLD_SIZE).'),
  masterAddr: z.string().min(1).default('127.0.0.1').describe('Host of rank 0\'s rendezvous socket (MASTER_ADDR). Default 127.0.0.1; anything but loopback needs jobSecret.'),
  masterPort: z.number().int().min(1).max(65535).describe('Port of rank 0\'s rendezvous socket (MASTER_PORT).'),
  jobId: z.string().min(1).default('omnitrain').describe('Job id (OMNITRAIN_JOB_ID); every message carries its tag and a message of another job is rejected. Default "omnitrain".'),
  jobSecret: z.string().optional().describe('Job secret (OMNITRAIN_JOB_SECRET): turns on ZeroMQ CURVE with keys derived from it. Required when masterAddr is not loopback. Default none.'),
  transport: z.enum(['auto', 'tcp', 'ipc']).default('auto').describe('Ring transport: auto = ipc:// to ranks on this host, tcp:// to others. Default auto.'),
  advertiseAddr: z.string().optional().describe('Host name or IP other hosts reach this worker at (OMNITRAIN_ADVERTISE_ADDR). Default: 127.0.0.1 on loopback jobs, else os.hostname().'),
  ipcDir: z.string().default(tmpdir()).describe('Folder of the ipc:// socket files. Default os.tmpdir().'),
  dataPlane: z.enum(['auto', 'net', 'zmq']).default('auto').describe('Where all-reduce/broadcast/all-gather data travels: net = plain Node sockets (unix domain socket, or loopback TCP with transport tcp) received straight into posted memory; zmq = the ZeroMQ PUSH/PULL ring (CURVE-encrypted with a jobSecret). auto = net without a jobSecret (loopback jobs), zmq with one. Control, heartbeats and failure detection always use ZeroMQ. Default auto.'),
  segmentBytes: z.number().int().min(4096).max(16 * 2 ** 20).default(2 ** 20).describe('Bytes per ring message (all-reduce segments in flight). Default 1 MiB.'),
  allReduceAlgorithm: z.enum(['auto', 'ring', 'direct']).default('auto').describe('All-reduce of arrays over 64 KiB with the net data plane: ring = reduce-scatter + all-gather around the ring, 2(N-1) steps; direct = every rank sends each peer its chunk and then its reduced chunk over a full mesh of connections (2 steps, N-1 connections per rank, for one host); auto = direct for N >= 3 from DIRECT_ALL_REDUCE_MIN_BYTES (32 MiB) on, else ring (measured, see README). Only ring opens no mesh connections. The ZeroMQ data plane and fp16 always use the ring. Default auto.'),
  fp16: z.boolean().default(false).describe('Send all-reduce data as float16 (half the bytes, fp16-rounded results, equal on every rank). Default false.'),
  defaultDeadlineMs: z.number().int().min(1).default(60_000).describe('Deadline of a call without its own deadlineMs. Default 60000.'),
  rendezvousTimeoutMs: z.number().int().min(1).default(60_000).describe('How long the rendezvous (hello, peer table, ring check) may take. Default 60000.'),
  heartbeatIntervalMs: z.number().int().min(10).default(500).describe('Interval of ZMTP and app-level heartbeats. Default 500.'),
  heartbeatTimeoutMs: z.number().int().min(100).default(3000).describe('ZMTP heartbeat timeout: a frozen (SIGSTOP) peer is declared dead after this. Default 3000.'),
  appHeartbeatTimeoutMs: z.number().int().min(100).default(120_000).describe('App-level heartbeat timeout: a peer whose event loop is stuck this long is declared dead. Default 120000.'),
  disconnectGraceMs: z.number().int().min(0).default(300).describe('Wait after a disconnect for the peer\'s goodbye before declaring it dead. Default 300.'),
});

/** Options of `ZmqCollective.connect` (a ClusterEnv spreads into it). */
export type ZmqCollectiveOptions = z.input<typeof zmqCollectiveOptionsSchema>;
/** Parsed options, defaults filled. */
export type ZmqCollectiveConfig = z.output<typeof zmqCollectiveOptionsSchema>;

/** True for addresses that only this host can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
