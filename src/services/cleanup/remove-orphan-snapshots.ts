import type { ServiceContext } from '../../context';
import { findReferencedSnapshotIds } from '../../repositories/version.repository';

const BATCH = 1000;
/** Younger snapshots may belong to a transaction still open. */
const SETTLE_MS = 60 * 60 * 1000;
/** Orphans are made by rollbacks at the time of writing, so a day back is enough to look. */
const LOOK_BACK_MS = 25 * 60 * 60 * 1000;

/**
 * Snapshots nothing refers to: written by a MongoDB store whose transaction then rolled back (the
 * PostgreSQL store writes inside the transaction, so it leaves none). Removed a batch at a time.
 */
export async function removeOrphanSnapshots(tx: ServiceContext, props: { now: Date }): Promise<string> {
  const to = new Date(props.now.getTime() - SETTLE_MS);
  const ids = await tx.store.snapshotIdsWritten(new Date(to.getTime() - LOOK_BACK_MS), to, BATCH);
  const referenced = await findReferencedSnapshotIds(tx.manager, ids);
  const orphans = ids.filter((id) => !referenced.has(id));
  await tx.store.deleteSnapshots(orphans);
  return `removed ${orphans.length} orphan snapshots of ${ids.length} checked`;
}
