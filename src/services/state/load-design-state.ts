import type { ServiceContext } from '../../context';
import { logger } from '../../logger';
import { readDesignState, type DesignState } from './design-state';

const key = (designId: string) => `design:${designId}:state`;

/**
 * The current state of a design, from the Redis cache (`design:{id}:state`, STATE_CACHE_TTL_SECONDS)
 * when it holds the current revision, otherwise from PostgreSQL. A cached state is never served once
 * a newer revision has committed. Inside a transaction the cache is bypassed: an uncommitted state
 * must never be cached.
 */
export async function loadDesignState(ctx: ServiceContext, designId: string): Promise<DesignState | null> {
  if (ctx.manager !== ctx.db.manager) return readDesignState(ctx.manager, designId);
  const rows: { revision: number }[] = await ctx.manager.query(`SELECT revision FROM designs WHERE id = $1 AND deleted_at IS NULL`, [
    designId,
  ]);
  if (!rows[0]) return null;
  const cached = await ctx.redis.get(key(designId)).catch(() => null);
  if (cached) {
    const state = JSON.parse(cached) as DesignState;
    if (state.revision === rows[0].revision) return state;
  }
  const state = await readDesignState(ctx.manager, designId);
  if (state) {
    ctx.redis
      .set(key(designId), JSON.stringify(state), 'EX', ctx.config.stateCacheTtlSeconds)
      .catch((error) => logger.warn({ err: (error as Error).message }, 'design state not cached'));
  }
  return state;
}
