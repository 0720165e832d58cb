import { clearRenderFiles, findExpiredRenderFiles } from '../../src/repositories/render.repository';
import type { JobHandler } from '../job-handler';

const BATCH = 500;

/**
 * Runs on a schedule. A render file is shown by the render that made it and by the cache hits that
 * reused it, and cache hits stop when its cache entry expires; once the newest of those renders is
 * older than the cache keeps entries, nothing can point at the file again: the renders lose their
 * link first (imageUrl null, never a dead link), then the file goes. Expired cache entries go too
 * (the MongoDB store's TTL index removes its own).
 */
export const removeExpiredRendersJob: JobHandler<'remove-expired-renders'> = {
  name: 'remove-expired-renders',
  async handle(_data, app) {
    const now = new Date();
    let files = 0;
    for (;;) {
      const keys = await findExpiredRenderFiles(app.db.manager, new Date(now.getTime() - app.config.renderCacheTtlMs), BATCH);
      if (keys.length === 0) break;
      await clearRenderFiles(app.db.manager, keys);
      for (const key of keys) await app.files.remove(key);
      files += keys.length;
      if (keys.length < BATCH) break;
    }
    const entries = await app.store.deleteExpiredRenderCache(now);
    return `removed ${files} render files and ${entries} expired cache entries`;
  },
};
