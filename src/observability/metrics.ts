/** Process-wide counters, exposed at /metrics in Prometheus text format. */
export const metrics = {
  sqlStatements: 0,
  graphqlRequests: 0,
  graphqlErrors: 0,
  upstreamRequests: 0,
  upstreamFailures: 0,
  /** requestRender answers: from the cache, joined to one in progress, or queued. */
  renderRequests: { cache_hit: 0, in_progress: 0, queued: 0 },
  exportsRequested: 0,
  /** Design reads answered from the answer cache, and those that could have been but were not. */
  answerCache: { hit: 0, miss: 0 },
};

/** Gauges read when /metrics is asked: jobs per queue and state. */
export interface MetricsSnapshot {
  jobs: Record<string, Record<string, number>> | null;
}

export function renderMetrics(snapshot: MetricsSnapshot): string {
  const lines = [
    ['design_sql_statements_total', 'SQL statements sent to PostgreSQL', metrics.sqlStatements],
    ['design_graphql_requests_total', 'GraphQL operations executed', metrics.graphqlRequests],
    ['design_graphql_errors_total', 'GraphQL operations that answered with errors', metrics.graphqlErrors],
    ['design_upstream_requests_total', 'Entity requests to the avatar and catalog subgraphs', metrics.upstreamRequests],
    ['design_upstream_failures_total', 'Failed entity requests to the avatar and catalog subgraphs', metrics.upstreamFailures],
  ] as const;
  const mem = process.memoryUsage();
  const jobs = Object.entries(snapshot.jobs ?? {}).flatMap(([queue, states]) =>
    Object.entries(states).map(([state, count]) => `design_jobs{queue="${queue}",state="${state}"} ${count}`),
  );
  return [
    ...lines.flatMap(([name, help, value]) => [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`]),
    '# HELP design_render_requests_total requestRender answers by outcome',
    '# TYPE design_render_requests_total counter',
    ...Object.entries(metrics.renderRequests).map(([outcome, value]) => `design_render_requests_total{outcome="${outcome}"} ${value}`),
    '# HELP design_exports_requested_total Exports queued by exportDesign and retryExport',
    '# TYPE design_exports_requested_total counter',
    `design_exports_requested_total ${metrics.exportsRequested}`,
    '# HELP design_answer_cache_total Revision-checked answers: served again (hit) or executed (miss)',
    '# TYPE design_answer_cache_total counter',
    ...Object.entries(metrics.answerCache).map(([outcome, value]) => `design_answer_cache_total{outcome="${outcome}"} ${value}`),
    '# HELP design_jobs Jobs in the BullMQ queues by state (absent when Redis does not answer)',
    '# TYPE design_jobs gauge',
    ...jobs,
    '# HELP process_resident_memory_bytes Resident set size',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${mem.rss}`,
    '# HELP nodejs_heap_used_bytes V8 heap in use',
    '# TYPE nodejs_heap_used_bytes gauge',
    `nodejs_heap_used_bytes ${mem.heapUsed}`,
    '',
  ].join('\n');
}
