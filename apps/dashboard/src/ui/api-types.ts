// The shapes the UI reads from the dashboard API (see src/server/create-dashboard-app.ts).

/** A run as listed by `GET /api/runs`. */
export interface Run {
  runId: string;
  name: string;
  state: string;
  lastStep: number | null;
  hparams: Record<string, number | string | boolean>;
  problems: number;
  tornBytes: number;
  error: string | null;
}

/** One series of a run (`GET /api/runs/:id`). */
export interface SeriesInfo {
  kind: string;
  name: string;
  split: string;
  label: string;
  count: number;
}

/** A worker's latest `worker-status` event. */
export interface WorkerStatus {
  rank: number;
  host: string;
  pid: number;
  state: string;
  cpuPercent: number;
  rssBytes: number;
  step?: number;
  message?: string;
  time: number;
}

/** `GET /api/runs/:id`. */
export interface RunDetail extends Run {
  series: SeriesInfo[];
  workers: WorkerStatus[];
  recentProblems: Array<{ file: string | null; line: number | null; message: string }>;
}

/** `GET /api/runs/:id/series` (json). */
export interface Series {
  steps: number[];
  values: Array<number | null>;
  total?: number;
  downsampled?: boolean;
}

/** One item of a `samples` event. */
export interface SampleItem {
  id: string;
  label?: string;
  predicted: string;
  confidence?: number;
  image?: string;
  audio?: string;
  text?: string;
}

/** A `trial` event, with the run that reported it. */
export interface TrialRecord {
  runId: string;
  event: {
    time: number;
    searchId: string;
    trialId: string;
    state: string;
    params: Record<string, unknown>;
    objective?: { name: string; value: number; mode: string };
    step?: number;
    trialRunId?: string;
    error?: string;
  };
}
