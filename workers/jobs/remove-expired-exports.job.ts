import { findExpiredExports, updateExport } from '../../src/repositories/export.repository';
import type { JobHandler } from '../job-handler';

/**
 * Runs on a schedule: 7 days after an export ended, its file (COMPLETED) and the state kept to make
 * it again (for retryExport) go. The export row stays, without either; the link goes first.
 */
export const removeExpiredExportsJob: JobHandler<'remove-expired-exports'> = {
  name: 'remove-expired-exports',
  async handle(_data, app) {
    const expired = await findExpiredExports(app.db.manager, new Date());
    for (const exported of expired) {
      await updateExport(app.db.manager, exported.id, { fileKey: null, stateKept: false });
      if (exported.fileKey) await app.files.remove(exported.fileKey);
    }
    await app.store.deleteSnapshots(expired.map((e) => e.id));
    return `removed the files and states of ${expired.length} expired exports`;
  },
};
