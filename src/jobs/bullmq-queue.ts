import { Queue, type ConnectionOptions } from 'bullmq';
import { within } from '../async/within';
import { logger } from '../logger';
import { currentRequest } from '../observability/request-context';
import { traceCarrier } from '../observability/tracing';
import {
  JOB_NAMES,
  JOB_STATES,
  type EnqueueOptions,
  type JobData,
  type JobName,
  type JobQueue,
  type JobState,
  type QueuedJob,
} from './job-names';

/** One BullMQ queue per job name, so that each kind of work has its own workers and concurrency. */
export const queueName = (name: JobName) => name;

/**
 * Workers wait for Redis (`maxRetriesPerRequest: null`); producers fail fast instead, so that a
 * request never hangs on a Redis that is away.
 */
export function bullConnection(redisUrl: string, role: 'producer' | 'worker'): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    password: url.password || undefined,
    username: url.username || undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
  };
}

/** How long a producer waits for Redis to take a job or answer about one. */
const REDIS_TIMEOUT_MS = 2000;

/** Delayed jobs noted as waiting (see `waitingUntil`), and how far ahead a worker's clock may run. */
const MAX_NOTED_DELAYED_JOBS = 100_000;
const CLOCK_SKEW_MARGIN_MS = 1000;

export function createBullJobQueue(redisUrl: string, prefix: string): JobQueue {
  const queues = new Map<JobName, Queue>();
  const connection = bullConnection(redisUrl, 'producer');
  const queueFor = (name: JobName) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(queueName(name), { connection, prefix: `${prefix}bull` });
      queue.on('error', (err) => logger.warn({ err, queue: name }, 'queue error'));
      queues.set(name, queue);
    }
    return queue;
  };
  // Delayed jobs with an id this process added, and until when they are surely still waiting: adding
  // one again is a no-op in BullMQ, so it is skipped without the round trip (a burst of edits
  // schedules the design's autosave once, not once per edit). Kept short of the due time, so that a
  // worker whose clock runs ahead has not taken the job yet.
  const waitingUntil = new Map<string, number>();
  const waitingKey = (name: JobName, jobId: string) => `${name}\n${jobId}`;
  const stillWaiting = (key: string) => {
    const until = waitingUntil.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    waitingUntil.delete(key);
    return false;
  };
  const noteWaiting = (key: string, delayMs: number) => {
    if (waitingUntil.size >= MAX_NOTED_DELAYED_JOBS) {
      for (const [k, until] of waitingUntil) if (until <= Date.now()) waitingUntil.delete(k);
      if (waitingUntil.size >= MAX_NOTED_DELAYED_JOBS) return;
    }
    waitingUntil.set(key, Date.now() + delayMs - Math.min(CLOCK_SKEW_MARGIN_MS, delayMs / 2));
  };
  return {
    async enqueue<N extends JobName>(name: N, data: JobData[N], options: EnqueueOptions = {}) {
      const key = options.jobId && options.delayMs ? waitingKey(name, options.jobId) : null;
      if (key && stillWaiting(key)) return;
      // The request that queued the job: the job's log lines carry its id (workers/main.ts).
      // And its trace, which the job's span continues.
      const requestId = currentRequest()?.requestId;
      const trace = traceCarrier();
      const payload = { ...data, ...(requestId ? { requestId } : {}), ...(Object.keys(trace).length ? { trace } : {}) };
      const added = queueFor(name).add(name, payload, {
        jobId: options.jobId,
        delay: options.delayMs,
        priority: options.priority,
        attempts: options.attempts ?? 3,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
      });
      // A queue waits for Redis to come back however long it takes; a producer says so instead.
      await within(added, REDIS_TIMEOUT_MS, `Redis did not take the ${name} job within ${REDIS_TIMEOUT_MS} ms`);
      if (key) noteWaiting(key, options.delayMs!);
    },
    async remove(name, jobId) {
      waitingUntil.delete(waitingKey(name, jobId));
      return (await queueFor(name).remove(jobId)) === 1;
    },
    async find(name, jobId) {
      const queue = queueFor(name);
      const lookup = async (): Promise<QueuedJob> => {
        const state = await queue.getJobState(jobId);
        if (state === 'unknown') return { state: 'missing' };
        // A job with attempts left goes back to delayed or waiting, so failed is final. Completed jobs are
        // removed at once (removeOnComplete); one that is still there has ended all the same.
        if (state === 'failed') return { state: 'ended', reason: (await queue.getJob(jobId))?.failedReason || 'the job failed' };
        if (state === 'completed') return { state: 'ended', reason: 'the job ended without finishing it' };
        return { state: 'pending' };
      };
      return within(lookup(), REDIS_TIMEOUT_MS, `Redis did not answer for the ${name} job within ${REDIS_TIMEOUT_MS} ms`);
    },
    async counts() {
      const counts = await Promise.all(JOB_NAMES.map((name) => queueFor(name).getJobCounts(...JOB_STATES)));
      return Object.fromEntries(JOB_NAMES.map((name, i) => [name, counts[i]])) as Record<JobName, Record<JobState, number>>;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
