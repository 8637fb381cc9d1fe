// The public door of @omnitrain/dashboard: the server (the CLI's `omnitrain dashboard` calls
// startDashboard) and its building blocks. The UI is a separate Vite bundle in dist/ui.
export { startDashboard, dashboardOptionsSchema } from './server/start-dashboard.js';
export type { DashboardOptions, DashboardServer } from './server/start-dashboard.js';
export { createDashboardApp } from './server/create-dashboard-app.js';
export type { DashboardAppContext } from './server/create-dashboard-app.js';
export { DashboardStore } from './server/dashboard-store.js';
export type {
  RunSource,
  RunState,
  SeriesKind,
  SeriesKey,
  SeriesInfo,
  StoredItem,
  RunSummary,
  RunDetail,
  ProblemRecord,
  LogCursor,
} from './server/dashboard-store.js';
export { pointsOf } from './server/points-of.js';
export type { SeriesPoint } from './server/points-of.js';
export { MIGRATIONS, migrate } from './server/migrations.js';
export type { Migration } from './server/migrations.js';
export { LogIngester } from './server/log-ingester.js';
export { EventHub } from './server/event-hub.js';
export type { HubMessage } from './server/event-hub.js';
export { SeriesCache } from './server/series-cache.js';
export type { CachedSeries } from './server/series-cache.js';
export { downsampleMinMax } from './server/downsample-min-max.js';
export type { XYSeries, DownsampledSeries } from './server/downsample-min-max.js';
export { runFilter } from './server/run-filter.js';
export { isLoopbackHost } from './server/is-loopback-host.js';
export { tokenGuard } from './server/token-guard.js';
export { parseIngestBody } from './server/ingest-body.js';
export type { IngestBatch } from './server/ingest-body.js';
