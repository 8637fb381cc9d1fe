// The public door of @omnitrain/distributed: everything other libs and users may import.

// --- wire protocol ---
export {
  PROTOCOL_VERSION,
  PROTOCOL_MAGIC,
  HEADER_BYTES,
  Op,
  Dtype,
  elementBytes,
  jobTag,
  encodeHeader,
  decodeHeader,
  HeaderTemplate,
  encodeJson,
} from './protocol/protocol.js';
export type {
  OpCode,
  DtypeCode,
  FrameHeader,
  MemberHello,
  MemberAssignment,
  ExpectedFrame,
  PeerInfo,
  HelloMessage,
  Progress,
  AbortMessage,
} from './protocol/protocol.js';

// --- cluster environment ---
export { readClusterEnv, firstSlurmHost, slurmMasterPort, DEFAULT_MASTER_PORT } from './cluster/cluster-env.js';
export type { ClusterEnv } from './cluster/cluster-env.js';

// --- collectives ---
export { reduceInto, labelHash } from './collective/collective.js';
export type { Collective, CollectiveReduceOp, CallOptions } from './collective/collective.js';
export { InMemoryCollective } from './collective/in-memory-collective.js';
export { ZmqCollective } from './collective/zmq-collective.js';
export { zmqCollectiveOptionsSchema, isLoopback } from './collective/zmq-collective-options.js';
export type { ZmqCollectiveOptions, ZmqCollectiveConfig } from './collective/zmq-collective-options.js';
export { ringAllReduce, ringAllReduceIsSmall, ringAllReduceScratchElements, SMALL_ALL_REDUCE_BYTES } from './collective/ring-all-reduce.js';
export { SimdReducer } from './collective/simd-reducer.js';
export { NetDataPlane } from './collective/net-data-plane.js';
export type { NetDataPlaneOptions } from './collective/net-data-plane.js';
export type { RingAllReduceOptions } from './collective/ring-all-reduce.js';
export { ringBroadcast } from './collective/ring-broadcast.js';
export { ringAllGather } from './collective/ring-all-gather.js';
export { ringReduceScatter } from './collective/ring-reduce-scatter.js';
export { directAllReduce, directAllReduceScratchElements } from './collective/direct-all-reduce.js';
export type { DirectAllReduceOptions } from './collective/direct-all-reduce.js';
export { useDirectAllReduce, DIRECT_ALL_REDUCE_MIN_BYTES } from './collective/use-direct-all-reduce.js';
export type { RingReduceScatterOptions } from './collective/ring-reduce-scatter.js';
export { reduceScatterOffsets } from './collective/reduce-scatter-offsets.js';
export { chunkStart } from './collective/ring-link.js';
export type { RingLink } from './collective/ring-link.js';
export { toFloat16, fromFloat16, JS_HALF_CODEC } from './collective/float16.js';
export type { HalfCodec } from './collective/float16.js';
export { Float16Codec } from './collective/float16-codec.js';
export { deriveCurveKeys, z85Encode } from './collective/curve-keys.js';
export type { CurveKeyPair } from './collective/curve-keys.js';

// --- the data-parallel strategy ---
export { dataParallelStrategy, dataParallelOptionsSchema } from './strategy/data-parallel-strategy.js';
export type { DataParallelOptions } from './strategy/data-parallel-strategy.js';

// --- launchers ---
export { findFreePort } from './launcher/find-free-port.js';
export { launchGroup } from './launcher/launch-group.js';
export type { WorkerSpec, LaunchEvent, AttemptSummary, LaunchSummary, GroupOptions } from './launcher/launch-group.js';
export { launchLocal } from './launcher/launch-local.js';
export { coreBinding, allowedCores, parseCoreList, boundArgv } from './launcher/core-binding.js';
export type { LaunchLocalOptions } from './launcher/launch-local.js';
export { ElasticMembership, ELASTIC_ADDR_ENV, ELASTIC_JOB_ENV } from './elastic/elastic-membership.js';
export type { ElasticMembershipOptions, MembershipEvent } from './elastic/elastic-membership.js';
export { elasticStrategy } from './elastic/elastic-strategy.js';
export type { ElasticStrategyOptions } from './elastic/elastic-strategy.js';
export { formGeneration } from './elastic/form-generation.js';
export type { Candidate, Formation } from './elastic/form-generation.js';
export { launchElastic } from './launcher/launch-elastic.js';
export type { LaunchElasticOptions, ElasticLaunchSummary, ElasticWorker, ElasticService, StartElasticService } from './launcher/launch-elastic.js';
export { parseHostfile } from './launcher/hostfile.js';
export type { HostSlots } from './launcher/hostfile.js';
export { sshCommandLines, shellQuote } from './launcher/ssh-command-lines.js';
export type { SshCommandOptions } from './launcher/ssh-command-lines.js';
export { markWorkerPhase, parseWorkerPhase, WORKER_PHASES, WORKER_PHASE_PREFIX, WORKER_PHASE_ENV } from './launcher/worker-phase.js';
export type { WorkerPhase } from './launcher/worker-phase.js';
export { restartTimer } from './launcher/restart-timer.js';
export type { RestartTimer, RestartTiming } from './launcher/restart-timer.js';
export { slurmScript } from './launcher/slurm-script.js';
export type { SlurmScriptOptions } from './launcher/slurm-script.js';
export { kubernetesManifest } from './launcher/kubernetes-manifest.js';
export type { KubernetesManifestOptions } from './launcher/kubernetes-manifest.js';
