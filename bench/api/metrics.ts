/** Counters of the design subgraph's /metrics. */
export interface Counters {
  sql: number;
  upstream: number;
  operations: number;
}

export async function readCounters(designUrl: string): Promise<Counters> {
  const text = await (await fetch(designUrl.replace(/\/graphql$/, '/metrics'))).text();
  const value = (name: string) => {
    const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
    if (!match) throw new Error(`/metrics has no ${name}`);
    return Number(match[1]);
  };
  return {
    sql: value('design_sql_statements_total'),
    upstream: value('design_upstream_requests_total'),
    operations: value('design_graphql_requests_total'),
  };
}

export interface PerRequest {
  requests: number;
  /** SQL statements per request, as the subgraph counts them (its own process only: not the workers'). */
  statements: number;
  /** Entity requests to the avatar and catalog subgraphs per request. */
  upstream: number;
}

/**
 * Runs `n` requests one after the other and divides the counters' growth by n; the subgraph sees no
 * other traffic meanwhile (the bench sends nothing else, the workers count in their own process).
 */
export async function perRequest(designUrl: string, n: number, send: (i: number) => Promise<void>): Promise<PerRequest> {
  const before = await readCounters(designUrl);
  for (let i = 0; i < n; i++) await send(i);
  const after = await readCounters(designUrl);
  const per = (a: number, b: number) => Math.round(((a - b) / n) * 100) / 100;
  return { requests: n, statements: per(after.sql, before.sql), upstream: per(after.upstream, before.upstream) };
}

/** What the subgraph did during a load run, per answer the load generator received. */
export interface UnderLoad {
  /** SQL statements per answer. */
  statements: number;
  /** GraphQL operations the subgraph executed per answer (below 1 through a gateway that merges identical requests in flight). */
  operations: number;
}

export async function underLoad<T extends { requests: number }>(
  designUrl: string,
  run: () => Promise<T>,
): Promise<T & { subgraph: UnderLoad }> {
  const before = await readCounters(designUrl);
  const result = await run();
  const after = await readCounters(designUrl);
  const per = (a: number, b: number) => (result.requests ? Math.round(((a - b) / result.requests) * 100) / 100 : NaN);
  return { ...result, subgraph: { statements: per(after.sql, before.sql), operations: per(after.operations, before.operations) } };
}
