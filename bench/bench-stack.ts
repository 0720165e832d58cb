import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { checkServices, deleteKeys, dropDatabase, ensureDatabase, postgresForDevelopment, withDatabase } from '../scripts/services';
import { freeStackPorts, startStack, type Stack } from '../scripts/stack';

/** What a benchmark may need beside the stack: its database and Redis prefix, and a way to add its own clean-up. */
export interface BenchRun {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Runs `step` at the end (also on Ctrl-C), before the stack stops and the database is dropped; last deferred, first run. */
  defer(step: () => unknown): void;
}

/**
 * Runs a benchmark against the whole stack on free ports, in a database and Redis prefix of its own;
 * afterwards (also on Ctrl-C or SIGTERM) the stack stops, the database is dropped and the prefix's keys
 * deleted. With DATABASE_URL unset and nothing on 127.0.0.1:5432, the embedded PostgreSQL serves it.
 */
export async function withBenchStack(
  run: (stack: Stack, bench: BenchRun) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const baseDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const databaseUrl = withDatabase(baseDatabaseUrl, `design_bench_${runId}`);
  const redisPrefix = `design-bench-${runId}:`;
  const postgres = await postgresForDevelopment((line) => console.log(line));
  const problems = await checkServices(baseDatabaseUrl, redisUrl);
  if (problems.length) {
    await postgres?.stop();
    throw new Error(problems.join('\n'));
  }
  let stack: Stack | null = null;
  const deferred: (() => unknown)[] = [];
  // Each step on its own, so that one that fails does not leave the ones after it undone.
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      const steps: [string, () => unknown][] = [
        ...deferred.reverse().map((step) => ['clean up', step] as [string, () => unknown]),
        ['stop the stack', () => stack?.stop()],
        ['drop the bench database', () => dropDatabase(databaseUrl)],
        ["delete the bench's Redis keys", () => deleteKeys(redisUrl, redisPrefix)],
        ['stop the embedded PostgreSQL', () => postgres?.stop()],
      ];
      for (const [what, step] of steps) {
        await Promise.resolve()
          .then(step)
          .catch((error: Error) => console.error(`could not ${what}: ${error.message}`));
      }
    })());
  // The stack's processes lead groups of their own and would outlive this one.
  const onSignal = () => {
    console.error('interrupted: cleaning up');
    void cleanUp().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await ensureDatabase(databaseUrl);
    stack = await startStack(
      await freeStackPorts({ studio: false }),
      {
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: redisPrefix,
        JWT_SECRET: DEVELOPMENT_JWT_SECRET,
        LOG_LEVEL: 'error',
        WORKER_METRICS_PORT: '0',
        // The stack sends e-mail to its maildev; production mode (bench:api) wants both set beside SMTP_URL.
        MAIL_FROM: 'Design bench <no-reply@design.localhost>',
        APP_URL: 'http://127.0.0.1:4005',
        ...env,
      },
      { log: 'ignore' },
    );
    await run(stack, { databaseUrl, redisUrl, redisPrefix, defer: (step) => void deferred.push(step) });
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
