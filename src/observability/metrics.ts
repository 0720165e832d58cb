/** Process-wide counters, exposed at /metrics in Prometheus text format. */
export const metrics = {
  sqlStatements: 0,
  graphqlRequests: 0,
  graphqlErrors: 0,
  upstreamRequests: 0,
  upstreamFailures: 0,
};

export function renderMetrics(): string {
  const lines = [
    ['design_sql_statements_total', 'SQL statements sent to PostgreSQL', metrics.sqlStatements],
    ['design_graphql_requests_total', 'GraphQL operations executed', metrics.graphqlRequests],
    ['design_graphql_errors_total', 'GraphQL operations that answered with errors', metrics.graphqlErrors],
    ['design_upstream_requests_total', 'Entity requests to the avatar and catalog subgraphs', metrics.upstreamRequests],
    ['design_upstream_failures_total', 'Failed entity requests to the avatar and catalog subgraphs', metrics.upstreamFailures],
  ] as const;
  const mem = process.memoryUsage();
  return [
    ...lines.flatMap(([name, help, value]) => [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`]),
    '# HELP process_resident_memory_bytes Resident set size',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${mem.rss}`,
    '# HELP nodejs_heap_used_bytes V8 heap in use',
    '# TYPE nodejs_heap_used_bytes gauge',
    `nodejs_heap_used_bytes ${mem.heapUsed}`,
    '',
  ].join('\n');
}
