import type { Queue } from 'bullmq';
import { createServiceContext, type AppServices } from '../src/context';
import { logger } from '../src/logger';
import { reconcileJobs } from '../src/services/recovery/reconcile-jobs';
import type { JobName } from '../src/jobs/job-names';
import type { JobHandler } from './job-handler';

/**
 * What keeps the workers' view of Redis honest, on a plain timer of each worker process rather than
 * as a BullMQ job: job schedulers live in Redis, so an emptied Redis takes away the very schedule that
 * would have noticed. Every `reconcileIntervalMs`, and once at start, it creates again the schedulers
 * that are missing and runs the reconcile pass (services/recovery/reconcile-jobs), which queues again
 * or fails the renders and exports whose jobs were lost. Every worker process runs it; the pass is
 * safe to run side by side, and cheap when nothing is lost (a lookup per row in flight).
 */
export async function startUpkeep(
  app: AppServices,
  handlers: JobHandler[],
  /** The worker's queue of each job (the worker closes them). */
  queues: ReadonlyMap<JobName, Queue>,
): Promise<{ stop(): Promise<void> }> {
  const scheduled = handlers.filter((handler) => handler.every).map((handler) => ({ handler, queue: queues.get(handler.name)! }));
  const upsert = ({ handler, queue }: (typeof scheduled)[number]) =>
    queue.upsertJobScheduler(handler.name, { every: handler.every!(app.config) }, { name: handler.name, data: {} });

  // At start every scheduler is upserted, so that a changed interval applies; upsert keeps the next run of one that is there.
  for (const schedule of scheduled) await upsert(schedule);

  const keepSchedules = async () => {
    for (const schedule of scheduled) {
      if (await schedule.queue.getJobScheduler(schedule.handler.name)) continue;
      await upsert(schedule);
      logger.warn({ job: schedule.handler.name }, 'job scheduler was missing from Redis: created again');
    }
  };
  const reconcile = async () => {
    const done = await reconcileJobs(createServiceContext(app, null), { now: new Date() });
    if (done.requeued || done.failed) logger.info(done, 'reconcile pass done');
  };
  // One pass at a time in this process: a pass slower than the interval is not stacked on.
  let running: Promise<void> | null = null;
  const run = (steps: (() => Promise<void>)[]) => {
    running ??= (async () => {
      for (const step of steps)
        await step().catch((err: unknown) => logger.warn({ err }, 'upkeep step failed; the next interval tries again'));
    })().finally(() => (running = null));
  };
  run([reconcile]);
  const timer = setInterval(() => run([keepSchedules, reconcile]), app.config.reconcileIntervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
