import { JOB_NAMES, type JobName } from '../src/jobs/job-names';
import type { JobHandler } from './job-handler';
import { autosaveDesignJob } from './jobs/autosave-design.job';
import { removeExpiredAutosavesJob } from './jobs/remove-expired-autosaves.job';
import { exportDesignJob } from './jobs/export-design.job';
import { removeExpiredExportsJob } from './jobs/remove-expired-exports.job';
import { removeExpiredRendersJob } from './jobs/remove-expired-renders.job';
import { removeOrphanSnapshotsJob } from './jobs/remove-orphan-snapshots.job';
import { renderDesignJob } from './jobs/render-design.job';
import { ensureHistoryPartitionsJob } from './jobs/ensure-history-partitions.job';
import { forgetOldViewsJob } from './jobs/forget-old-views.job';
import { sendNotificationJob } from './jobs/send-notification.job';
import { removeOldDeliveriesJob } from './jobs/remove-old-deliveries.job';

const HANDLERS = [
  autosaveDesignJob,
  removeExpiredAutosavesJob,
  renderDesignJob,
  exportDesignJob,
  removeExpiredExportsJob,
  removeExpiredRendersJob,
  removeOrphanSnapshotsJob,
  ensureHistoryPartitionsJob,
  forgetOldViewsJob,
  sendNotificationJob,
  removeOldDeliveriesJob,
] as JobHandler[];

/** Every job name has exactly one handler, or the workers do not start. */
export function jobRegistry(handlers: JobHandler[] = HANDLERS): Map<JobName, JobHandler> {
  const registry = new Map<JobName, JobHandler>();
  for (const handler of handlers) {
    if (registry.has(handler.name)) throw new Error(`two handlers for job "${handler.name}"`);
    registry.set(handler.name, handler);
  }
  const missing = JOB_NAMES.filter((name) => !registry.has(name));
  if (missing.length) throw new Error(`no handler for job ${missing.map((n) => `"${n}"`).join(', ')}`);
  return registry;
}
