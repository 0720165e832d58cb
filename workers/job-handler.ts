import type { Config } from '../src/config';
import type { AppServices } from '../src/context';
import type { JobData, JobName } from '../src/jobs/job-names';
import { UrlRefusedError } from '../src/net/safe-fetch';
import { RendererUnavailableError } from '../src/render/browser-executable';

/** Which run of a job this is: BullMQ runs a failed job again, with backoff, until its attempts are used. */
export interface JobAttempt {
  number: number;
  /** The last one: a failure now is final, and a failure before it should throw to be retried. */
  final: boolean;
}

/** One job, one handler, one file: `name` ties it to the queue of that name. */
export interface JobHandler<N extends JobName = JobName> {
  name: N;
  /** What the job did, for the logs. */
  handle(data: JobData[N], app: AppServices, attempt: JobAttempt): Promise<string>;
  /** A job that also runs on its own, every this many ms (the workers keep one scheduler per such job). */
  every?(config: Config): number;
}

/** Whether another attempt could go differently: not when the attempts are used, nor without a browser, nor for a refused URL. */
export function worthRetrying(attempt: JobAttempt, error: unknown): boolean {
  return !attempt.final && !(error instanceof RendererUnavailableError) && !(error instanceof UrlRefusedError);
}
