import { Queue, type ConnectionOptions } from 'bullmq';
import { within } from '../async/within';
import { logger } from '../logger';
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
  return {
    async enqueue<N extends JobName>(name: N, data: JobData[N], options: EnqueueOptions = {}) {
      const added = queueFor(name).add(name, data, {
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
    },
    async remove(name, jobId) {
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
