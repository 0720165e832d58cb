import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEVELOPMENT_GATEWAY_SECRET, DEVELOPMENT_JWT_SECRET } from '../src/config';
import { checkServices, deleteKeys, dropDatabase, ensureDatabase, postgresForDevelopment, withDatabase } from './services';
import { freePort, freeStackPorts, startStack, type Stack } from './stack';

/** A whole run that takes longer than this has hung somewhere a per-test timeout does not reach. */
const RUN_TIMEOUT_MS = 45 * 60_000;
const TEST_TIMEOUT_MS = 5 * 60_000;

/**
 * `npm test`: one database, one Redis key prefix and one scratch folder (temp files and stored
 * files) for this run, the whole development stack on free ports, then node's test runner over
 * dist/test. Everything is torn down afterwards: the database dropped, the prefix's keys deleted,
 * the folder removed.
 */
async function main() {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const baseDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const postgres = await postgresForDevelopment((line) => process.stdout.write(`# ${line}\n`));
  const problems = await checkServices(baseDatabaseUrl, redisUrl);
  if (problems.length) {
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    await postgres?.stop();
    process.exit(1);
  }
  const databaseUrl = withDatabase(baseDatabaseUrl, `design_test_${runId}`);
  const scratch = join(__dirname, '..', '..', '.data', 'test-runs', runId);
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `design-test-${runId}:`,
    JWT_SECRET: DEVELOPMENT_JWT_SECRET,
    GATEWAY_SECRET: DEVELOPMENT_GATEWAY_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    UPSTREAM_CACHE_TTL_MS: '1000',
    // Long enough for a test's burst of edits to land within one delay on a loaded 2-core machine.
    AUTOSAVE_DELAY_MS: '1000',
    CLEANUP_INTERVAL_MS: '1000',
    // Tests share the run's database across Redis prefixes of their own: the stack's workers would take
    // every other prefix's renders and exports for lost. They reconcile at start only; test/reconcile
    // starts workers of its own that reconcile every second.
    RECONCILE_INTERVAL_MS: String(24 * 3600 * 1000),
    // Set, as production needs them beside SMTP_URL: tests start production-mode processes with this environment.
    MAIL_FROM: 'Design tests <no-reply@design.localhost>',
    APP_URL: 'http://studio.localhost:3000',
    TMPDIR: join(scratch, 'tmp'),
    FILES_DIR: join(scratch, 'files'),
  };
  let stack: Stack | null = null;
  let tests: ChildProcess | null = null;
  let code = 1;
  // Each step on its own, so that one that fails does not leave the ones after it undone.
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const [what, step] of [
        ['stop the stack', () => stack?.stop()],
        ['drop the test database', () => dropDatabase(databaseUrl)],
        ["delete the run's Redis keys", () => deleteKeys(redisUrl, env.REDIS_PREFIX)],
        ['remove the scratch folder', () => rmSync(scratch, { recursive: true, force: true })],
        ['stop the embedded PostgreSQL', () => postgres?.stop()],
      ] as const) {
        await Promise.resolve()
          .then(step)
          .catch((error: Error) => process.stderr.write(`could not ${what}: ${error.message}\n`));
      }
    })());
  // Ctrl-C or a cancelled CI job: the stack's processes lead groups of their own and would outlive this one.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      tests?.kill('SIGTERM');
      void cleanUp().then(() => process.exit(130));
    });
  }
  try {
    await ensureDatabase(databaseUrl);
    mkdirSync(env.TMPDIR, { recursive: true });
    const workerMetricsPort = await freePort();
    stack = await startStack(await freeStackPorts({ studio: true }), { ...env, WORKER_METRICS_PORT: String(workerMetricsPort) });
    const { urls, ports } = stack;
    const testDir = join(__dirname, '..', 'test');
    const only = process.argv.slice(2);
    const files = readdirSync(testDir)
      .filter((f) => f.endsWith('.test.js'))
      .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
      .map((f) => join(testDir, f));
    code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--require',
          join(testDir, 'open-handles.js'),
          '--test',
          '--test-concurrency=1',
          `--test-timeout=${TEST_TIMEOUT_MS}`,
          // A file whose tests are done ends, whatever it left open (open-handles.js says what).
          '--test-force-exit',
          ...files,
        ],
        {
          stdio: 'inherit',
          env: {
            ...process.env,
            ...env,
            // The stack's worker serves /metrics there; workers a test starts take any free port.
            TEST_WORKER_METRICS_URL: `http://127.0.0.1:${workerMetricsPort}/metrics`,
            WORKER_METRICS_PORT: '0',
            // The tests' own config (loadConfig in a test) sees the stack's subgraphs as the stack does.
            AVATAR_SUBGRAPH_URL: urls.avatar,
            CATALOG_SUBGRAPH_URL: urls.catalog,
            USERS_SUBGRAPH_URL: urls.users,
            SMTP_URL: urls.smtp,
            // maildev's REST API: the tests read the messages sent back from it.
            TEST_MAILDEV_URL: urls.mailWeb,
            TEST_DESIGN_URL: urls.design,
            TEST_GATEWAY_URL: urls.gateway,
            TEST_STUDIO_URL: urls.studio,
            // The studio test's screenshots go where npm run studio:screenshots asks, else into this run's scratch folder.
            STUDIO_SCREENSHOTS_DIR: process.env.STUDIO_SCREENSHOTS_DIR ?? join(scratch, 'studio'),
            TEST_CATALOG_PORT: String(ports.catalog),
            TEST_AVATAR_PORT: String(ports.avatar),
            TEST_USERS_PORT: String(ports.users),
          },
        },
      );
      tests = child;
      const watchdog = setTimeout(() => {
        process.stderr.write(`the test run took longer than ${RUN_TIMEOUT_MS / 60_000} minutes: stopped\n`);
        child.kill('SIGKILL');
      }, RUN_TIMEOUT_MS);
      child.on('exit', (exitCode) => {
        clearTimeout(watchdog);
        resolve(exitCode ?? 1);
      });
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
  } finally {
    await cleanUp();
  }
  process.exit(code);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
