import { findExpiredExportFiles, updateExport } from '../../src/repositories/export.repository';
import type { JobHandler } from '../job-handler';

/**
 * Runs on a schedule: export files past their 7 days go, with the state kept to make them; the
 * export row stays, without a file. (FAILED and CANCELLED exports keep their state for retryExport.)
 */
export const removeExpiredExportsJob: JobHandler<'remove-expired-exports'> = {
  name: 'remove-expired-exports',
  async handle(_data, app) {
    const expired = await findExpiredExportFiles(app.db.manager, new Date());
    for (const exported of expired) {
      await updateExport(app.db.manager, exported.id, { fileKey: null });
      await app.files.remove(exported.fileKey!);
    }
    await app.store.deleteSnapshots(expired.map((e) => e.id));
    return `removed ${expired.length} expired export files`;
  },
};
