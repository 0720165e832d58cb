import { createServiceContext } from '../../src/context';
import { ensureComingPartitions } from '../../src/services/history/ensure-partitions';
import type { JobHandler } from '../job-handler';

export const ensureHistoryPartitionsJob: JobHandler<'ensure-history-partitions'> = {
  name: 'ensure-history-partitions',
  // Well inside a month: a partition exists for two months ahead at any time.
  every: (config) => config.cleanupIntervalMs,
  handle: (_data, app) => ensureComingPartitions(createServiceContext(app, null), { now: new Date() }),
};
