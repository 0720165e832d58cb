import { createServiceContext, inTransaction } from '../../src/context';
import { expireExports } from '../../src/services/cleanup/expire-exports';
import type { JobHandler } from '../job-handler';

export const removeExpiredExportsJob: JobHandler<'remove-expired-exports'> = {
  name: 'remove-expired-exports',
  every: (config) => config.cleanupIntervalMs,
  handle: (_data, app) => inTransaction(createServiceContext(app, null), (tx) => expireExports(tx, { now: new Date() })),
};
