import type { ServiceContext } from '../../context';
import { clearRenderFiles, findExpiredRenderFiles } from '../../repositories/render.repository';

/** Render files handled per call (per transaction). */
export const RENDER_EXPIRY_BATCH = 500;

/**
 * A render file is shown by the render that made it and by the cache hits that reused it, and cache
 * hits stop when its cache entry expires; once the newest of those renders is older than the cache
 * keeps entries, nothing can point at the file again: the renders lose their link (imageUrl null,
 * never a dead link), then, after commit, the file goes. Expired cache entries go too (the MongoDB
 * store's TTL index removes its own). One batch per call: the job calls it until it finds no more.
 */
export async function expireRenders(tx: ServiceContext, props: { now: Date }): Promise<{ files: number; entries: number }> {
  const keys = await findExpiredRenderFiles(tx.manager, new Date(props.now.getTime() - tx.config.renderCacheTtlMs), RENDER_EXPIRY_BATCH);
  if (keys.length) await clearRenderFiles(tx.manager, keys);
  const entries = await tx.store.deleteExpiredRenderCache(props.now);
  tx.afterCommit(async () => {
    for (const key of keys) await tx.files.remove(key);
  });
  return { files: keys.length, entries };
}
