import 'reflect-metadata';
// First: tracing patches the modules imported after it.
import { tracing } from '../src/observability/trace-first';
import { MetricsTime, Queue, Worker } from 'bullmq';
import { within } from '../src/async/within';
import { connectServices, loadConfigOrExit } from '../src/bootstrap';
import { bullConnection, queueName } from '../src/jobs/bullmq-queue';
import { logger } from '../src/logger';
import { startMetricsServer } from '../src/observability/metrics-endpoint';
import { jobDuration, observeMoreMetrics } from '../src/observability/metrics';
import { inRequest } from '../src/observability/request-context';
import { SpanKind, withSpan } from '../src/observability/tracing';
import { exitGracefullyOnSignals } from '../src/shutdown';
import { checkMediaTools } from './media-check';
import { closeSharedRenderer } from '../src/render/shared-renderer';
import { jobRegistry } from './registry';
import { startUpkeep } from './upkeep';

/** `npm run worker`: a BullMQ worker per job, the clean-up schedules and the reconciler (upkeep.ts), graceful shutdown. */
async function main() {
  const config = loadConfigOrExit();
  const registry = jobRegistry();
  const app = await connectServices(config);
  const connection = bullConnection(config.redisUrl, 'worker');
  const prefix = `${config.redisPrefix}bull`;
  // Before any job is taken: a machine that cannot render says so first, and the first render finds the renderer warm.
  await checkMediaTools(config);

  const workers = [...registry.values()].map((handler) => {
    const worker = new Worker(
      queueName(handler.name),
      async (job) => {
        const started = Date.now();
        const attempt = { number: job.attemptsMade + 1, final: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) };
        const seconds = () => (Date.now() - started) / 1000;
        const requestId = (job.data as { requestId?: unknown }).requestId;
        const context = { requestId: typeof requestId === 'string' ? requestId : `job-${job.id}`, operation: handler.name };
        try {
          const trace = (job.data as { trace?: Record<string, string> }).trace;
          const outcome = await inRequest(context, () =>
            withSpan(
              `job ${handler.name}`,
              {
                kind: SpanKind.CONSUMER,
                parent: trace,
                attributes: { 'messaging.system': 'bullmq', 'messaging.message.id': String(job.id) },
              },
              () => handler.handle(job.data, app, attempt),
            ),
          );
          jobDuration.observe({ job: handler.name, outcome: 'completed' }, seconds());
          logger.info({ job: handler.name, id: job.id, ms: Date.now() - started }, outcome);
          return outcome;
        } catch (error) {
          jobDuration.observe({ job: handler.name, outcome: 'failed' }, seconds());
          throw error;
        }
      },
      // A worker that dies loses its lock after workerLockMs; another worker's stalled check (as often)
      // then takes the job over.
      {
        connection,
        prefix,
        concurrency: config.workerConcurrency,
        lockDuration: config.workerLockMs,
        stalledInterval: config.workerLockMs,
        // BullMQ's own completed and failed counts, for bullmq_job_*_total on /metrics.
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
      },
    );
    worker.on('failed', (job, err) => logger.warn({ job: handler.name, id: job?.id, err }, 'job failed'));
    worker.on('error', (err) => logger.warn({ err }, 'worker error'));
    return worker;
  });

  // BullMQ's own view of each queue (jobs by state, completed and failed totals) on this worker's /metrics.
  const queues = new Map([...registry.keys()].map((name) => [name, new Queue(queueName(name), { connection, prefix })]));
  observeMoreMetrics(async () => {
    const texts = [...queues.values()].map((queue) =>
      within(queue.exportPrometheusMetrics(), 1000, 'Redis did not answer').catch(() => ''),
    );
    return (await Promise.all(texts)).join('\n');
  });

  const upkeep = await startUpkeep(app, [...registry.values()], queues);
  logger.info({ jobs: [...registry.keys()], concurrency: config.workerConcurrency }, 'workers started');
  // A worker that cannot serve its metrics (the port taken) still works: it says so and goes on.
  const metricsServer = await startMetricsServer(config.workerMetricsPort, '0.0.0.0').catch((err: Error) => {
    logger.warn({ err, port: config.workerMetricsPort }, 'worker /metrics not served');
    return null;
  });
  const metricsAddress = metricsServer?.address();
  if (metricsAddress && typeof metricsAddress === 'object') logger.info({ port: metricsAddress.port }, 'worker /metrics served');
  // The line the dev stack and the test runner wait for, whatever the log level.
  process.stdout.write('workers ready\n');

  // A job still running past the shutdown timeout is taken over by another worker once its lock expires.
  exitGracefullyOnSignals(config.shutdownTimeoutMs, async () => {
    logger.info('workers shutting down: finishing running jobs');
    await upkeep.stop();
    await Promise.all(workers.map((w) => w.close()));
    await closeSharedRenderer();
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    await app.close();
    metricsServer?.close();
    await tracing?.stop();
  });
}

main().catch((error) => {
  logger.fatal({ err: error }, 'workers failed to start');
  process.exit(1);
});
