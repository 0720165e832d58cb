import type { ServiceContext } from '../../context';
import { notificationJobId } from '../../jobs/job-ids';
import { abandonDelivery, countDeliveryRequeue, type QueuedDelivery } from '../../repositories/notification.repository';
import { SEND_ATTEMPTS } from '../notifications/notify';
import { failureReason, type LostJob, type Reconciled } from './lost-job';

/**
 * A message waiting to be sent (QUEUED, or FAILED with attempts left) whose job the queue no longer
 * holds (Redis did not take it after the commit, or lost it): QUEUED again, its job queued again
 * under its own id after commit; or, when the job ended for good or was lost too often, ABANDONED
 * with the reason (EM3).
 */
export async function reconcileDelivery(tx: ServiceContext, props: { message: QueuedDelivery; job: LostJob }): Promise<Reconciled> {
  const { message, job } = props;
  const reason = failureReason(job, message.requeueCount);
  if (reason !== null) return (await abandonDelivery(tx.manager, message.id, reason)) ? { action: 'failed', reason } : null;
  if (!(await countDeliveryRequeue(tx.manager, message.id, message.requeueCount))) return null;
  tx.afterCommit(() =>
    tx.jobs.enqueue('send-notification', message.data, { jobId: notificationJobId(message.id), attempts: SEND_ATTEMPTS }),
  );
  return { action: 'requeued', requeues: message.requeueCount + 1 };
}
