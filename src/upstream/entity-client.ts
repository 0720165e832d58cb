import DataLoader from 'dataloader';
import { DesignError, ErrorCode } from '../errors/design-error';
import { logger } from '../logger';
import { countCache, upstreamFailures, upstreamRequests } from '../observability/metrics';
import { SpanKind, traceCarrier, withSpan } from '../observability/tracing';

interface CacheEntry<T> {
  value: T | null;
  expiresAt: number;
}

/**
 * Reads entities owned by another subgraph with the standard `_entities` query. A short process-wide
 * cache absorbs repeated look-ups; `loader()` gives a per-request DataLoader that batches the misses
 * into one request. Any transport failure is UPSTREAM_UNAVAILABLE.
 */
export class EntityClient<T extends { id: string }> {
  private readonly cache = new Map<string, CacheEntry<T>>();
  private readonly query: string;

  constructor(
    private readonly subgraph: string,
    private readonly url: string,
    private readonly typename: string,
    selection: string,
    private readonly timeoutMs: number,
    private readonly ttlMs: number,
  ) {
    this.query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
  }

  loader(): DataLoader<string, T | null> {
    return new DataLoader((ids) => this.fetchMany(ids), { maxBatchSize: 100 });
  }

  private async fetchMany(ids: readonly string[]): Promise<(T | null)[]> {
    const now = Date.now();
    const missing = ids.filter((id) => (this.cache.get(id)?.expiresAt ?? 0) <= now);
    for (let i = 0; i < ids.length; i++) countCache('upstream', i >= missing.length);
    if (missing.length > 0) {
      const fetched = await this.request(missing);
      missing.forEach((id, i) => this.cache.set(id, { value: fetched[i] ?? null, expiresAt: now + this.ttlMs }));
      if (this.cache.size > 10_000) this.evictExpired(now);
    }
    return ids.map((id) => this.cache.get(id)?.value ?? null);
  }

  private evictExpired(now: number) {
    for (const [id, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(id);
  }

  private request(ids: string[]): Promise<(T | null)[]> {
    return withSpan(
      `${this.subgraph} _entities`,
      { kind: SpanKind.CLIENT, attributes: { 'graphql.subgraph': this.subgraph, 'entities.count': ids.length } },
      () => this.fetchEntities(ids),
    );
  }

  private async fetchEntities(ids: string[]): Promise<(T | null)[]> {
    upstreamRequests.inc();
    const unavailable = (why: string) => {
      upstreamFailures.inc();
      logger.warn({ subgraph: this.subgraph, why }, 'upstream subgraph unavailable');
      return new DesignError(ErrorCode.UpstreamUnavailable, `The ${this.subgraph} subgraph is unavailable`, { subgraph: this.subgraph });
    };
    let body: { data?: { _entities?: (T | null)[] }; errors?: { message: string }[] };
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...traceCarrier() },
        body: JSON.stringify({
          query: this.query,
          variables: { representations: ids.map((id) => ({ __typename: this.typename, id })) },
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw unavailable(`HTTP ${response.status}`);
      body = (await response.json()) as typeof body;
    } catch (error) {
      if (error instanceof DesignError) throw error;
      throw unavailable(error instanceof Error ? error.message : String(error));
    }
    const entities = body.data?._entities;
    if (!Array.isArray(entities) || entities.length !== ids.length) {
      throw unavailable(body.errors?.map((e) => e.message).join('; ') ?? 'malformed _entities answer');
    }
    return entities;
  }
}
