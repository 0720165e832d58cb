import type { ServiceContext } from '../../context';
import { logger } from '../../logger';
import { countCache } from '../../observability/metrics';
import type { EntityManager } from 'typeorm';
import { stateOf, type DesignState } from '../../domain/design-state';
import { findDesignTrees } from '../../repositories/design-tree.repository';

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
    if (state.revision === rows[0].revision) {
      countCache('state', true);
      return state;
    }
  }
  countCache('state', false);
  const state = await readDesignState(ctx.manager, designId);
  if (state) {
    ctx.redis
      .set(key(designId), JSON.stringify(state), 'EX', ctx.config.stateCacheTtlSeconds)
      .catch((error) => logger.warn({ err: error }, 'design state not cached'));
  }
  return state;
}

/** Reads the state in `m`, in one statement (inside a transaction that holds the design lock, it is exact). */
export async function readDesignState(m: EntityManager, designId: string): Promise<DesignState | null> {
  const [tree] = await findDesignTrees(m, [designId], null);
  if (!tree) return null;
  if (!tree.canvas) throw new Error(`design ${designId} has no canvas settings`);
  return stateOf(tree.design, tree.layers, tree.groups, tree.canvas);
}
