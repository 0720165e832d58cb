import { ended, ExportStatus, type ExportEntity } from '../../../entities/export.entity';
import type { ServiceContext } from '../../context';
import { exportJobId } from '../../jobs/job-ids';
import { countExportRequeue, findExportsByIds } from '../../repositories/export.repository';
import { changeExport } from '../exports/export-lifecycle';
import { failureReason, type LostJob, type Reconciled } from './lost-job';

/**
 * An export run in flight whose job the queue no longer holds: its job queued again under its own
 * id after commit (the export keeps its status; the job's start sets PROCESSING from 0 again), or,
 * when the job ended for good or was lost too often, FAILED with the reason. Its state stays kept,
 * so retryExport can queue it again.
 */
export async function reconcileExport(
  tx: ServiceContext,
  props: { run: Pick<ExportEntity, 'id' | 'retryCount' | 'requeueCount'>; job: LostJob },
): Promise<Reconciled> {
  const { run, job } = props;
  const reason = failureReason(job, run.requeueCount);
  if (reason !== null) {
    const [exported] = await findExportsByIds(tx.manager, [run.id]);
    // A retry that came meanwhile owns the export now: its own job is its own business.
    if (!exported || exported.retryCount !== run.retryCount) return null;
    const failed = { ...ended(ExportStatus.FAILED), error: reason };
    if (!(await changeExport(tx, exported, [ExportStatus.QUEUED, ExportStatus.PROCESSING], failed))) return null;
    return { action: 'failed', reason };
  }
  if (!(await countExportRequeue(tx.manager, run.id, run.retryCount, run.requeueCount, new Date()))) return null;
  // Without a priority: BullMQ serves such jobs before prioritized ones, and these have waited longest.
  tx.afterCommit(() =>
    tx.jobs.enqueue('export-design', { exportId: run.id, retryCount: run.retryCount }, { jobId: exportJobId(run.id, run.retryCount) }),
  );
  return { action: 'requeued', requeues: run.requeueCount + 1 };
}
