import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { checkServices, dropDatabase, ensureDatabase, withDatabase } from './services';
import { freePort, startStack } from './stack';

/**
 * `npm test`: one database and one Redis key prefix for this run, the whole development stack on free
 * ports, then node's test runner over dist/test. Everything is torn down afterwards.
 */
async function main() {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const baseDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const problems = await checkServices(baseDatabaseUrl, redisUrl);
  if (problems.length) {
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  const databaseUrl = withDatabase(baseDatabaseUrl, `design_test_${runId}`);
  await ensureDatabase(databaseUrl);

  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `design-test-${runId}:`,
    JWT_SECRET: DEVELOPMENT_JWT_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    UPSTREAM_CACHE_TTL_MS: '1000',
    AUTOSAVE_DELAY_MS: '300',
    CLEANUP_INTERVAL_MS: '1000',
  };
  const stack = await startStack(
    { design: await freePort(), avatar: await freePort(), catalog: await freePort(), gateway: await freePort() },
    env,
  );
  let code = 1;
  try {
    const testDir = join(__dirname, '..', 'test');
    const only = process.argv.slice(2);
    const files = readdirSync(testDir)
      .filter((f) => f.endsWith('.test.js'))
      .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
      .map((f) => join(testDir, f));
    code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
        stdio: 'inherit',
        env: {
          ...process.env,
          ...env,
          TEST_DESIGN_URL: stack.urls.design,
          TEST_GATEWAY_URL: stack.urls.gateway,
          TEST_CATALOG_PORT: String(stack.ports.catalog),
          TEST_AVATAR_PORT: String(stack.ports.avatar),
        },
      });
      child.on('exit', (exitCode) => resolve(exitCode ?? 1));
    });
  } finally {
    await stack.stop();
    await dropDatabase(databaseUrl);
  }
  process.exit(code);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
