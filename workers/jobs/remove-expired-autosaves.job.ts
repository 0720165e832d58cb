import { createServiceContext, inTransaction } from '../../src/context';
import { expireAutosaves } from '../../src/services/cleanup/expire-autosaves';
import type { JobHandler } from '../job-handler';

export const removeExpiredAutosavesJob: JobHandler<'remove-expired-autosaves'> = {
  name: 'remove-expired-autosaves',
  every: (config) => config.cleanupIntervalMs,
  handle: (_data, app) => inTransaction(createServiceContext(app, null), (tx) => expireAutosaves(tx, { now: new Date() })),
};
