import { createServiceContext, inTransaction } from '../../src/context';
import { expireDeliveries } from '../../src/services/cleanup/expire-deliveries';
import type { JobHandler } from '../job-handler';

export const removeOldDeliveriesJob: JobHandler<'remove-old-deliveries'> = {
  name: 'remove-old-deliveries',
  every: (config) => config.cleanupIntervalMs,
  handle: (_data, app) => inTransaction(createServiceContext(app, null), (tx) => expireDeliveries(tx, { now: new Date() })),
};
