import type { RenderEntity } from '../../../entities/render.entity';
import type { ServiceContext } from '../../context';
import { renderJobId } from '../../jobs/job-ids';
import { countRenderRequeue } from '../../repositories/render.repository';
import { failRenderAttempt } from '../renders/render-lifecycle';
import { failureReason, type LostJob, type Reconciled } from './lost-job';

/**
 * A render in flight whose job the queue no longer holds: its job queued again under its own id
 * after commit (the render keeps its status; the job's start sets it again), or, when the job ended
 * for good or was lost too often, FAILED with the reason, so that an equal request makes a new one.
 */
export async function reconcileRender(
  tx: ServiceContext,
  props: { render: Pick<RenderEntity, 'id' | 'requeueCount'>; job: LostJob },
): Promise<Reconciled> {
  const { render, job } = props;
  const reason = failureReason(job, render.requeueCount);
  if (reason !== null) {
    const failed = await failRenderAttempt(tx, { renderId: render.id, reason, attempt: 0, final: true });
    return failed && { action: 'failed', reason };
  }
  if (!(await countRenderRequeue(tx.manager, render.id, render.requeueCount, new Date()))) return null;
  // Without a priority: BullMQ serves such jobs before prioritized ones, and these have waited longest.
  tx.afterCommit(() => tx.jobs.enqueue('render-design', { renderId: render.id }, { jobId: renderJobId(render.id) }));
  return { action: 'requeued', requeues: render.requeueCount + 1 };
}
