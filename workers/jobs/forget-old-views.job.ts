import { createServiceContext, inTransaction } from '../../src/context';
import { forgetOldViews, VIEW_EXPIRY_BATCH } from '../../src/services/cleanup/forget-old-views';
import type { JobHandler } from '../job-handler';

/** Batch after batch, each in a transaction of its own, until one comes back short. */
export const forgetOldViewsJob: JobHandler<'forget-old-views'> = {
  name: 'forget-old-views',
  every: (config) => config.cleanupIntervalMs,
  async handle(_data, app) {
    const ctx = createServiceContext(app, null);
    const now = new Date();
    let removed = 0;
    for (;;) {
      const batch = await inTransaction(ctx, (tx) => forgetOldViews(tx, { now }));
      removed += batch;
      if (batch < VIEW_EXPIRY_BATCH) break;
    }
    return `forgot ${removed} views of earlier days`;
  },
};
