import type { AppServices } from '../src/context';
import type { JobData, JobName } from '../src/jobs/job-names';

/** One job, one handler, one file: `name` ties it to the queue of that name. */
export interface JobHandler<N extends JobName = JobName> {
  name: N;
  /** What the job did, for the logs. */
  handle(data: JobData[N], app: AppServices): Promise<string>;
}
