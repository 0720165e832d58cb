import { createServiceContext, inTransaction } from '../../src/context';
import { removeOrphanSnapshots } from '../../src/services/cleanup/remove-orphan-snapshots';
import type { JobHandler } from '../job-handler';

export const removeOrphanSnapshotsJob: JobHandler<'remove-orphan-snapshots'> = {
  name: 'remove-orphan-snapshots',
  every: (config) => config.cleanupIntervalMs,
  handle: (_data, app) => inTransaction(createServiceContext(app, null), (tx) => removeOrphanSnapshots(tx, { now: new Date() })),
};
