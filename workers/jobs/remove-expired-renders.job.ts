import { createServiceContext, inTransaction } from '../../src/context';
import { expireRenders, RENDER_EXPIRY_BATCH } from '../../src/services/cleanup/expire-renders';
import type { JobHandler } from '../job-handler';

/** Batch after batch, each in a transaction of its own, until one comes back short. */
export const removeExpiredRendersJob: JobHandler<'remove-expired-renders'> = {
  name: 'remove-expired-renders',
  every: (config) => config.cleanupIntervalMs,
  async handle(_data, app) {
    const ctx = createServiceContext(app, null);
    const now = new Date();
    const removed = { files: 0, entries: 0 };
    for (;;) {
      const batch = await inTransaction(ctx, (tx) => expireRenders(tx, { now }));
      removed.files += batch.files;
      removed.entries += batch.entries;
      if (batch.files < RENDER_EXPIRY_BATCH) break;
    }
    return `removed ${removed.files} render files and ${removed.entries} expired cache entries`;
  },
};
