import type { NotificationJobData } from '../domain/notifications';

/** Every job the workers run, with its data. A name here without exactly one handler stops the workers at start. */
export interface JobData {
  'autosave-design': { designId: string };
  'remove-expired-autosaves': Record<string, never>;
  'render-design': { renderId: string };
  /** retryCount: the export's run this job is for; a job of an earlier run (a late enqueue) does nothing. */
  'export-design': { exportId: string; retryCount: number };
  'remove-expired-exports': Record<string, never>;
  'remove-expired-renders': Record<string, never>;
  'remove-orphan-snapshots': Record<string, never>;
  'ensure-history-partitions': Record<string, never>;
  'forget-old-views': Record<string, never>;
  /** One e-mail to one recipient (services/notifications). */
  'send-notification': NotificationJobData;
  'remove-old-deliveries': Record<string, never>;
}

export type JobName = keyof JobData;

/** Queue priority of a caller's renders and exports by tier: BullMQ serves 1 first. */
export const TIER_PRIORITY = { enterprise: 1, pro: 5, free: 10 } as const;

/** Each name once: the compiler refuses a name of JobData missing here. */
const EVERY_JOB: Record<JobName, true> = {
  'autosave-design': true,
  'remove-expired-autosaves': true,
  'render-design': true,
  'export-design': true,
  'remove-expired-exports': true,
  'remove-expired-renders': true,
  'remove-orphan-snapshots': true,
  'ensure-history-partitions': true,
  'forget-old-views': true,
  'send-notification': true,
  'remove-old-deliveries': true,
};

export const JOB_NAMES = Object.keys(EVERY_JOB) as readonly JobName[];

export interface EnqueueOptions {
  /** Deterministic: a job with the same id that is still waiting makes this a no-op. */
  jobId?: string;
  delayMs?: number;
  /** 1 is served first (BullMQ priorities). */
  priority?: number;
  /** Default 3, with exponential backoff. */
  attempts?: number;
}

export const JOB_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * What the queue holds of one job: one still to run (waiting, delayed, prioritized, active), none
 * (never added, removed once done, or lost with Redis's data), or one that ended for good, with why.
 */
export type QueuedJob = { state: 'pending' } | { state: 'missing' } | { state: 'ended'; reason: string };

/** What services use to hand work to the workers; BullMQ is its implementation. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, data: JobData[N], options?: EnqueueOptions): Promise<void>;
  /** Jobs per state (waiting, prioritized, delayed, active, failed) of every queue, for /metrics. */
  counts(): Promise<Record<JobName, Record<JobState, number>>>;
  /** Takes a job that has not started yet off its queue; false when it is running or gone. */
  remove(name: JobName, jobId: string): Promise<boolean>;
  find(name: JobName, jobId: string): Promise<QueuedJob>;
  close(): Promise<void>;
}
