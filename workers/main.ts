import 'reflect-metadata';
import { Queue, Worker } from 'bullmq';
import { connectServices, loadConfigOrExit } from '../src/bootstrap';
import { bullConnection, queueName } from '../src/jobs/bullmq-queue';
import type { JobName } from '../src/jobs/job-names';
import { logger } from '../src/logger';
import { closeSharedRenderer } from './jobs/render-design.job';
import { jobRegistry } from './registry';

/** `npm run worker`: a BullMQ worker per job, the autosave clean-up schedule, graceful shutdown. */
async function main() {
  const config = loadConfigOrExit();
  const registry = jobRegistry();
  const app = await connectServices(config);
  const connection = bullConnection(config.redisUrl, 'worker');
  const prefix = `${config.redisPrefix}bull`;

  const workers = [...registry.values()].map((handler) => {
    const worker = new Worker(
      queueName(handler.name),
      async (job) => {
        const started = Date.now();
        const outcome = await handler.handle(job.data, app);
        logger.info({ job: handler.name, id: job.id, ms: Date.now() - started }, outcome);
        return outcome;
      },
      { connection, prefix, concurrency: config.workerConcurrency },
    );
    worker.on('failed', (job, err) => logger.warn({ job: handler.name, id: job?.id, err: err.message }, 'job failed'));
    worker.on('error', (err) => logger.warn({ err: err.message }, 'worker error'));
    return worker;
  });

  const cleanup = new Queue(queueName('remove-expired-autosaves' satisfies JobName), { connection, prefix });
  await cleanup.upsertJobScheduler('remove-expired-autosaves', { every: config.autosaveCleanupIntervalMs }, { name: 'remove-expired-autosaves', data: {} });
  logger.info({ jobs: [...registry.keys()], concurrency: config.workerConcurrency }, 'workers started');
  // The line the dev stack and the test runner wait for, whatever the log level.
  process.stdout.write('workers ready\n');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'workers shutting down: finishing running jobs');
    await Promise.all(workers.map((w) => w.close()));
    await cleanup.close();
    await closeSharedRenderer();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'workers failed to start');
  process.exit(1);
});
