import { ConfigError } from '@omnitrain/core';

/** Options of {@link kubernetesManifest}. */
export interface KubernetesManifestOptions {
  /** Container image holding the project and its built dist. */
  readonly image: string;
  /** Number of workers (pods). */
  readonly nproc: number;
  /** Job name (a DNS label); default `omnitrain`. */
  readonly name?: string;
  readonly namespace?: string;
  /** The worker command, e.g. `['node', 'apps/cli/dist/main.js', 'worker', 'run.yaml']`. */
  readonly command: readonly string[];
  /** Rendezvous port. Default 29500. */
  readonly port?: number;
  /** A Kubernetes Secret holding the job secret under key `secret` (CURVE across pods). Default `<name>-secret`. */
  readonly secretName?: string;
  /** Per-pod resources, e.g. `{ cpu: '1', memory: '4Gi' }`; `gpu` adds `nvidia.com/gpu`. */
  readonly resources?: { readonly cpu?: string; readonly memory?: string; readonly gpu?: number };
  /** Pod failures tolerated before the Job fails (the group restarts from its checkpoint). Default 3. */
  readonly maxRestarts?: number;
}

/**
 * A Kubernetes Indexed Job (one pod per rank; RANK = the completion index) plus the headless Service
 * that gives each pod a stable DNS name (`<name>-0.<name>` is rank 0, the rendezvous). Workers read
 * their place with `readClusterEnv`; the job secret comes from a Secret, so the ring is encrypted.
 * Returned as YAML (two documents; each is JSON, which is valid YAML) for `kubectl apply -f -`.
 *
 * @throws ConfigError for nproc < 1 or a name that is not a DNS label.
 * @example
 * const yaml = kubernetesManifest({ image: 'registry/omnitrain:1', nproc: 4, command: ['node', 'worker.js'] });
 */
export function kubernetesManifest(o: KubernetesManifestOptions): string {
  const name = o.name ?? 'omnitrain';
  if (!/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/.test(name)) {
    throw new ConfigError({ op: 'kubernetesManifest', expected: 'name: a DNS label (lowercase letters, digits, -)', received: JSON.stringify(name), where: 'name' });
  }
  if (!Number.isInteger(o.nproc) || o.nproc < 1) {
    throw new ConfigError({ op: 'kubernetesManifest', expected: 'nproc: an integer >= 1', received: String(o.nproc), where: 'nproc' });
  }
  const port = o.port ?? 29500;
  const meta = { name, ...(o.namespace ? { namespace: o.namespace } : {}), labels: { app: name } };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta,
    spec: { clusterIP: 'None', selector: { 'job-name': name }, ports: [{ name: 'rendezvous', port }] },
  };
  const limits: Record<string, string | number> = {};
  if (o.resources?.cpu) limits['cpu'] = o.resources.cpu;
  if (o.resources?.memory) limits['memory'] = o.resources.memory;
  if (o.resources?.gpu) limits['nvidia.com/gpu'] = o.resources.gpu;
  const env = [
    { name: 'RANK', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    { name: 'WORLD_SIZE', value: String(o.nproc) },
    { name: 'LOCAL_RANK', value: '0' },
    { name: 'MASTER_ADDR', value: `${name}-0.${name}` },
    { name: 'MASTER_PORT', value: String(port) },
    { name: 'OMNITRAIN_JOB_ID', value: name },
    { name: 'OMNITRAIN_JOB_SECRET', valueFrom: { secretKeyRef: { name: o.secretName ?? `${name}-secret`, key: 'secret' } } },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'OMNITRAIN_ADVERTISE_ADDR', value: '$(POD_IP)' },
  ];
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta,
    spec: {
      completionMode: 'Indexed',
      completions: o.nproc,
      parallelism: o.nproc,
      backoffLimit: o.maxRestarts ?? 3,
      template: {
        metadata: { labels: { app: name } },
        spec: {
          subdomain: name,
          restartPolicy: 'Never',
          containers: [
            {
              name: 'worker',
              image: o.image,
              command: [...o.command],
              env,
              ports: [{ containerPort: port, name: 'rendezvous' }],
              ...(Object.keys(limits).length ? { resources: { limits } } : {}),
            },
          ],
        },
      },
    },
  };
  return `${JSON.stringify(service, null, 2)}\n---\n${JSON.stringify(job, null, 2)}\n`;
}
