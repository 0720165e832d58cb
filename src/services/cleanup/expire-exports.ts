import type { ServiceContext } from '../../context';
import { findExpiredExports, updateExport } from '../../repositories/export.repository';

/**
 * 7 days after an export ended, its file (COMPLETED) and the state kept to make it again (for
 * retryExport) go. The export row stays, without either; the link goes first, the file after commit.
 */
export async function expireExports(tx: ServiceContext, props: { now: Date }): Promise<string> {
  const expired = await findExpiredExports(tx.manager, props.now);
  for (const exported of expired) await updateExport(tx.manager, exported.id, { fileKey: null, stateKept: false });
  await tx.store.deleteSnapshots(expired.map((e) => e.id));
  const files = expired.flatMap((e) => (e.fileKey ? [e.fileKey] : []));
  tx.afterCommit(async () => {
    for (const key of files) await tx.files.remove(key);
  });
  return `removed the files and states of ${expired.length} expired exports`;
}
