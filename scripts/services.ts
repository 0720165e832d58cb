import { Redis } from 'ioredis';
import { join } from 'node:path';
import { Client } from 'pg';
import { startPostgresHint, startRedisHint } from '../src/service-hints';
import { answers, DEFAULT_DATABASE_HOST, DEFAULT_DATABASE_PORT, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/**
 * With DATABASE_URL unset and nothing on 127.0.0.1:5432, the dev stack and the tests start the
 * embedded PostgreSQL (and stop it after); otherwise they use what is configured or running.
 */
export async function postgresForDevelopment(log: (line: string) => void): Promise<EmbeddedPostgres | null> {
  if (process.env.DATABASE_URL) return null;
  if (await answers(DEFAULT_DATABASE_HOST, DEFAULT_DATABASE_PORT)) return null;
  return startEmbeddedPostgres(join(__dirname, '..', '..'), log);
}

/** Checks PostgreSQL and Redis before anything starts, and says in one line how to start what is down. */
export async function checkServices(databaseUrl: string, redisUrl: string): Promise<string[]> {
  const problems: string[] = [];
  const admin = new Client({ connectionString: withDatabase(databaseUrl, 'postgres'), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    problems.push(`PostgreSQL is not reachable at ${databaseUrl} (${(error as Error).message}); start it with: ${startPostgresHint()}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    problems.push(`Redis is not reachable at ${redisUrl} (${(error as Error).message}); start it with: ${startRedisHint()}`);
  } finally {
    redis.disconnect();
  }
  return problems;
}

export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `work` on a connection to the server's `postgres` database, with the name of `databaseUrl`'s own. */
async function asAdmin(databaseUrl: string, work: (admin: Client, name: string) => Promise<unknown>): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await admin.connect();
  try {
    await work(admin, name);
  } finally {
    await admin.end();
  }
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the database of `databaseUrl` when it does not exist. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  await asAdmin(databaseUrl, async (admin, name) => {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${quoted(name)}`);
  });
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  await asAdmin(databaseUrl, (admin, name) => admin.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`));
}

/** A run's keys under its prefix: queues, caches, locks and rate-limit counters its stack made. */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
