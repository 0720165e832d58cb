import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEVELOPMENT_GATEWAY_SECRET, DEVELOPMENT_JWT_SECRET } from '../src/config';
import { findOnPath } from '../src/find-on-path';
import { checkServices, postgresForDevelopment, withDatabase } from './services';

/** A case that takes longer than this has hung: node's test runner fails it and goes on. */
const CASE_TIMEOUT_MS = 90_000;
/** The whole suite, should the runner itself hang. */
const RUN_TIMEOUT_MS = 8 * 60_000;

/**
 * `npm run test:faults`: the fault cases (test/faults/*.fault.ts), one after the other under node's
 * test runner. Each case starts what it stops or kills (design subgraphs from dist, workers, a
 * redis-server, an embedded PostgreSQL) on ports, databases and Redis prefixes of its own, and
 * removes all of it at its end; this runner checks the shared PostgreSQL and Redis the cases create
 * their databases and prefixes in, and gives them a scratch folder it removes afterwards.
 * `npm run test:faults -- sigterm` runs the cases whose file name contains "sigterm".
 */
async function main() {
  const baseDatabaseUrl = withDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'postgres');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const postgres = await postgresForDevelopment((line) => process.stdout.write(`# ${line}\n`));
  const problems = await checkServices(baseDatabaseUrl, redisUrl);
  if (!findOnPath(['redis-server']))
    problems.push('redis-server is not installed (the cases start Redis servers of their own): npm run setup');
  if (problems.length) {
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    await postgres?.stop();
    process.exit(1);
  }
  const scratch = join(__dirname, '..', '..', '.data', 'fault-runs', `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`);
  mkdirSync(scratch, { recursive: true });
  const dir = join(__dirname, '..', 'test', 'faults');
  const only = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.fault.js'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .map((f) => join(dir, f));
  // node --test with no file runs every test file it finds.
  if (files.length === 0) {
    process.stderr.write(`no fault case matches ${only.join(', ')}\n`);
    process.exit(1);
  }

  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', '--test-concurrency=1', `--test-timeout=${CASE_TIMEOUT_MS}`, '--test-force-exit', ...files],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          NODE_ENV: 'test',
          FAULTS_DATABASE_URL: baseDatabaseUrl,
          REDIS_URL: redisUrl,
          JWT_SECRET: DEVELOPMENT_JWT_SECRET,
          GATEWAY_SECRET: DEVELOPMENT_GATEWAY_SECRET,
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
          FAULTS_SCRATCH: scratch,
          TMPDIR: scratch,
        },
      },
    );
    const watchdog = setTimeout(() => {
      process.stderr.write(`the fault suite took longer than ${RUN_TIMEOUT_MS / 60_000} minutes: stopped\n`);
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill('SIGTERM'));
    child.on('exit', (exitCode) => {
      clearTimeout(watchdog);
      resolve(exitCode ?? 1);
    });
  });
  rmSync(scratch, { recursive: true, force: true });
  await postgres?.stop();
  process.exit(code);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
