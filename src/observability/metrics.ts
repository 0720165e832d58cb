import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's metrics, served at /metrics in Prometheus text format: Node's defaults under their
 * standard names (stock dashboards work), the specification's names, and the design_* counters the
 * benchmarks and tests read. Each process (subgraph, workers) has its own registry and endpoint.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const registers = [registry];
const MS_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];

export const sqlStatements = new Counter({ name: 'design_sql_statements_total', help: 'SQL statements sent to PostgreSQL', registers });
export const graphqlRequests = new Counter({ name: 'design_graphql_requests_total', help: 'GraphQL operations received', registers });
export const graphqlErrors = new Counter({
  name: 'design_graphql_errors_total',
  help: 'GraphQL operations that answered with errors',
  registers,
});
export const upstreamRequests = new Counter({
  name: 'design_upstream_requests_total',
  help: 'Entity requests to the avatar and catalog subgraphs',
  registers,
});
export const upstreamFailures = new Counter({
  name: 'design_upstream_failures_total',
  help: 'Failed entity requests to the avatar and catalog subgraphs',
  registers,
});
export const renderRequests = new Counter({
  name: 'design_render_requests_total',
  help: 'requestRender answers by outcome: from the cache, joined to one in progress, or queued',
  labelNames: ['outcome'] as const,
  registers,
});
export const exportsRequested = new Counter({
  name: 'design_exports_requested_total',
  help: 'Exports queued by exportDesign and retryExport',
  registers,
});

export const designsCreated = new Counter({ name: 'design_created_total', help: 'Designs created (forks included)', registers });
export const layerOperations = new Counter({
  name: 'design_layer_operations_total',
  help: 'Committed layer changes by operation',
  labelNames: ['operation'] as const,
  registers,
});
export const conflicts = new Counter({
  name: 'collaboration_conflicts_total',
  help: 'Changes refused because the design had moved past their expectedRevision (CONFLICT)',
  registers,
});
export const apiResponseTime = new Histogram({
  name: 'api_response_time_ms',
  help: 'Time to answer a GraphQL operation, by operation name (HTTP) or until a subscription is set up (graphql-ws)',
  labelNames: ['operation', 'transport'] as const,
  buckets: MS_BUCKETS,
  registers,
});

const SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

// Worker processes: jobs, renders, exports, autosaves.
export const jobDuration = new Histogram({
  name: 'design_job_duration_seconds',
  help: 'Time a job run took, by job and outcome (completed, failed)',
  labelNames: ['job', 'outcome'] as const,
  buckets: SECONDS_BUCKETS,
  registers,
});
export const exportDuration = new Histogram({
  name: 'export_duration_seconds',
  help: 'Time an export attempt took to make its file, by type and format',
  labelNames: ['type', 'format'] as const,
  buckets: SECONDS_BUCKETS,
  registers,
});
export const renderFrameTime = new Histogram({
  name: 'render_frame_time_ms',
  help: 'Time to draw one frame (a render, or one frame of a turntable), by renderer',
  labelNames: ['renderer'] as const,
  buckets: MS_BUCKETS,
  registers,
});
export const renderFps = new Gauge({
  name: 'render_fps',
  help: 'Frames per second drawn by the last turntable export, by renderer',
  labelNames: ['renderer'] as const,
  registers,
});
export const autosaveDuration = new Histogram({
  name: 'design_auto_save_duration_ms',
  help: 'Time an autosave job took (state read, snapshot written)',
  buckets: MS_BUCKETS,
  registers,
});

export const websocketConnections = new Counter({
  name: 'websocket_connections_total',
  help: 'graphql-ws connections accepted (after connection_init)',
  registers,
});
export const openWebsockets = new Gauge({ name: 'websocket_connections_open', help: 'graphql-ws connections open now', registers });

let activeDesigns: () => number = () => 0;
/** Where design_active_sessions reads from: the designs this replica's subscribers listen to. */
export function observeActiveDesigns(count: () => number): void {
  activeDesigns = count;
}
new Gauge({
  name: 'design_active_sessions',
  help: 'Designs with at least one live subscriber on this replica',
  registers,
  collect() {
    this.set(activeDesigns());
  },
});

/** How recent a change must be for its author to count among a design's concurrent editors. */
const EDITING_WINDOW_MS = 5 * 60 * 1000;
const editorsByDesign = new Map<string, Map<string, number>>();
export const concurrentEditors = new Histogram({
  name: 'concurrent_editors_per_design',
  help: 'At each change, how many people changed that design in the last 5 minutes (changes through this replica)',
  buckets: [1, 2, 3, 4, 5, 8, 10, 20, 50],
  registers,
});
/** Notes a committed change's author and observes how many edit the design now. */
export function noteEditor(designId: string, actorId: string, now = Date.now()): void {
  const editors = editorsByDesign.get(designId) ?? new Map<string, number>();
  editors.set(actorId, now);
  for (const [id, at] of editors) if (now - at > EDITING_WINDOW_MS) editors.delete(id);
  editorsByDesign.set(designId, editors);
  concurrentEditors.observe(editors.size);
  // Designs nobody has changed for the window are forgotten, so the map follows the designs being edited.
  if (editorsByDesign.size > 10_000) {
    for (const [id, byActor] of editorsByDesign)
      if ([...byActor.values()].every((at) => now - at > EDITING_WINDOW_MS)) editorsByDesign.delete(id);
  }
}

/** The caches whose hits and misses are counted, and the hit rate computed from them. */
export type CacheName = 'answer' | 'state' | 'render' | 'upstream';
export const cacheRequests = new Counter({
  name: 'design_cache_requests_total',
  help: 'Cache lookups by cache and outcome (hit, miss)',
  labelNames: ['cache', 'outcome'] as const,
  registers,
});
export function countCache(cache: CacheName, hit: boolean): void {
  cacheRequests.inc({ cache, outcome: hit ? 'hit' : 'miss' });
}
new Gauge({
  name: 'cache_hit_rate',
  help: 'Hits over lookups since the process started, by cache',
  labelNames: ['cache'] as const,
  registers,
  // Derived from design_cache_requests_total when scraped, so the two never disagree.
  async collect() {
    const totals = new Map<string, { hit: number; miss: number }>();
    for (const { labels, value } of (await cacheRequests.get()).values) {
      const total = totals.get(String(labels.cache)) ?? { hit: 0, miss: 0 };
      total[labels.outcome === 'hit' ? 'hit' : 'miss'] += value;
      totals.set(String(labels.cache), total);
    }
    for (const [cache, { hit, miss }] of totals) this.set({ cache }, hit / (hit + miss));
  },
});
new Gauge({
  name: 'memory_usage_mb',
  help: 'Resident set size in MiB',
  registers,
  collect() {
    this.set(Math.round((process.memoryUsage.rss() / 1024 / 1024) * 10) / 10);
  },
});

type JobCounts = Record<string, Record<string, number>> | null;
let queueCounts: (() => Promise<JobCounts>) | null = null;
let lastCounts: { at: number; jobs: Promise<JobCounts> } | null = null;
/** The queues' job counts, read once per scrape (both gauges below use them). */
const readQueues = (): Promise<JobCounts> => {
  if (!queueCounts) return Promise.resolve(null);
  if (!lastCounts || Date.now() - lastCounts.at > 1000) lastCounts = { at: Date.now(), jobs: queueCounts() };
  return lastCounts.jobs;
};

/** Metrics in Prometheus text from elsewhere (BullMQ's own), served after the registry's. */
export const moreMetrics: (() => Promise<string>)[] = [];
export function observeMoreMetrics(source: () => Promise<string>): void {
  moreMetrics.push(source);
}

/** Where the job gauges read from when /metrics is scraped: null (or a failed read) leaves them absent. */
export function observeQueues(counts: () => Promise<JobCounts>): void {
  queueCounts = counts;
}

new Gauge({
  name: 'design_jobs',
  help: 'Jobs in the BullMQ queues by state (absent when Redis does not answer)',
  labelNames: ['queue', 'state'] as const,
  registers,
  async collect() {
    const jobs = await readQueues();
    this.reset();
    for (const [queue, states] of Object.entries(jobs ?? {})) {
      for (const [state, count] of Object.entries(states)) this.set({ queue, state }, count);
    }
  },
});
new Gauge({
  name: 'render_queue_depth',
  help: 'Jobs waiting to run (waiting, prioritized or delayed) by queue (absent when Redis does not answer)',
  labelNames: ['queue'] as const,
  registers,
  async collect() {
    const jobs = await readQueues();
    this.reset();
    for (const [queue, states] of Object.entries(jobs ?? {})) {
      this.set({ queue }, (states.waiting ?? 0) + (states.prioritized ?? 0) + (states.delayed ?? 0));
    }
  },
});
