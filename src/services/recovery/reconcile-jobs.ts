import { inTransaction, type ServiceContext } from '../../context';
import { exportJobId, notificationJobId, renderJobId } from '../../jobs/job-ids';
import { logger } from '../../logger';
import { findExportsInFlight } from '../../repositories/export.repository';
import { findWaitingDeliveries } from '../../repositories/notification.repository';
import { SEND_ATTEMPTS } from '../notifications/notify';
import { findRendersInFlight } from '../../repositories/render.repository';
import type { Reconciled } from './lost-job';
import { reconcileDelivery } from './reconcile-delivery';
import { reconcileExport } from './reconcile-export';
import { reconcileRender } from './reconcile-render';

/**
 * Rows queued this recently are left alone: whoever queued them (a request, a retry, a pass before
 * this one) may still be handing the job to Redis; a producer gives up after 2 s.
 */
export const RECONCILE_GRACE_MS = 10_000;
const PAGE = 100;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * PostgreSQL is the truth about renders, exports and e-mail notifications; Redis can lose their jobs (emptied, restarted
 * without persistence). Each render and export in flight for longer than the grace period is compared
 * with its job: one still to run, or running, is left alone (another worker may be on it); a missing
 * one is queued again, an ended one fails the row (reconcile-render, reconcile-export, reconcile-delivery). The queue is
 * asked outside any transaction; each row that needs a change gets a transaction of its own. Several
 * worker processes may run this at once: a loss is counted by the one that saw the count first, and
 * a requeue restarts the grace period, so the others do not take its job on the way for lost.
 */
export async function reconcileJobs(ctx: ServiceContext, props: { now: Date }): Promise<{ requeued: number; failed: number }> {
  const before = new Date(props.now.getTime() - RECONCILE_GRACE_MS);
  const done = { requeued: 0, failed: 0 };
  const record = (result: Reconciled, ids: Record<string, string>) => {
    if (!result) return;
    done[result.action] += 1;
    logger.warn({ ...ids, ...result }, `reconciled with the job queue: ${result.action}`);
  };
  await eachPage(
    (afterId) => findRendersInFlight(ctx.manager, { before, afterId, limit: PAGE }),
    async (render) => {
      const jobId = renderJobId(render.id);
      const job = await ctx.jobs.find('render-design', jobId);
      if (job.state === 'pending') return;
      record(await inTransaction(ctx, (tx) => reconcileRender(tx, { render, job })), { renderId: render.id, jobId });
    },
  );
  await eachPage(
    (afterId) => findExportsInFlight(ctx.manager, { before, afterId, limit: PAGE }),
    async (run) => {
      const jobId = exportJobId(run.id, run.retryCount);
      const job = await ctx.jobs.find('export-design', jobId);
      if (job.state === 'pending') return;
      record(await inTransaction(ctx, (tx) => reconcileExport(tx, { run, job })), { exportId: run.id, jobId });
    },
  );
  await eachPage(
    (afterId) => findWaitingDeliveries(ctx.manager, { before, afterId, limit: PAGE, attemptsPerJob: SEND_ATTEMPTS }),
    async (message) => {
      const jobId = notificationJobId(message.id);
      const job = await ctx.jobs.find('send-notification', jobId);
      if (job.state === 'pending') return;
      record(await inTransaction(ctx, (tx) => reconcileDelivery(tx, { message, job })), { notification: message.id, jobId });
    },
  );
  return done;
}

/** Every row the pages hold, a page at a time in id order, so that a long backlog of waiting jobs cannot hide the rows after it. */
async function eachPage<T extends { id: string }>(page: (afterId: string) => Promise<T[]>, visit: (row: T) => Promise<void>) {
  for (let afterId = FIRST_ID; ;) {
    const rows = await page(afterId);
    for (const row of rows) await visit(row);
    if (rows.length < PAGE) return;
    afterId = rows[rows.length - 1]!.id;
  }
}
