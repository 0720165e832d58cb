import type { ServiceContext } from '../../context';
import { ensureHistoryPartitions, HISTORY_PARTITIONS_AHEAD } from '../../repositories/history.repository';

/**
 * The change log's partitions for `now`'s month and the next HISTORY_PARTITIONS_AHEAD, on a schedule
 * (a process running past a month's start needs it then, not at its next start). Rows already written
 * to the DEFAULT partition for those months are moved into theirs.
 */
export async function ensureComingPartitions(ctx: ServiceContext, { now }: { now: Date }): Promise<string> {
  const created = await ensureHistoryPartitions(ctx.manager, now);
  return `${created} change-log partitions created (this month and ${HISTORY_PARTITIONS_AHEAD} ahead exist)`;
}
