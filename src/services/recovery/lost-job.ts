import type { QueuedJob } from '../../jobs/job-names';

/** A run whose job the queue lost this many times is failed instead of queued once more. */
export const MAX_REQUEUES = 3;

/** What the reconciler finds of a job it was asked about: gone, or ended while its row is still in flight. */
export type LostJob = Exclude<QueuedJob, { state: 'pending' }>;

/** What it did with the row: queued its job again (the how-many-th time), failed it with the reason, or nothing (it changed meanwhile). */
export type Reconciled = { action: 'requeued'; requeues: number } | { action: 'failed'; reason: string } | null;

/** Why the row fails, when it does: the job's own reason, or the queue lost the job once too often. */
export function failureReason(job: LostJob, requeues: number): string | null {
  if (job.state === 'ended') return job.reason;
  return requeues < MAX_REQUEUES ? null : `the job queue lost its job ${requeues + 1} times`;
}
