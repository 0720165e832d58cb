import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { dropDatabase, ensureDatabase, withDatabase } from '../scripts/services';
import { freePort, startStack, type Stack } from '../scripts/stack';

/** Runs a benchmark against the whole stack on free ports, in a database and Redis prefix of its own. */
export async function withBenchStack(run: (stack: Stack) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = withDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', `design_bench_${runId}`);
  await ensureDatabase(databaseUrl);
  const stack = await startStack(
    { design: await freePort(), avatar: await freePort(), catalog: await freePort(), gateway: await freePort() },
    {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: `design-bench-${runId}:`,
      JWT_SECRET: DEVELOPMENT_JWT_SECRET,
      LOG_LEVEL: 'error',
      ...env,
    },
    { log: 'ignore' },
  );
  try {
    await run(stack);
  } finally {
    await stack.stop();
    await dropDatabase(databaseUrl);
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
