import { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from './config';
import type { AppServices } from './context';
import { assertMigrated, createDataSource, migrate } from './db/data-source';
import { createRedisEventBus } from './events/event-bus';
import { createFileStorage } from './files/create-file-storage';
import { createBullJobQueue } from './jobs/bullmq-queue';
import { logger } from './logger';
import { createMailer } from './mail/mailer';
import { startPostgresHint, startRedisHint } from './service-hints';
import { createSnapshotStore } from './storage/create-snapshot-store';
import { createUpstreamClients } from './upstream/subgraphs';

export function fail(message: string): never {
  logger.fatal(message);
  process.exit(1);
}

export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`Invalid configuration: ${error.message}`);
    throw error;
  }
}

async function connectRedis(config: Config): Promise<Redis> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, keyPrefix: config.redisPrefix });
  redis.on('error', (err) => logger.warn({ err }, 'redis error'));
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    fail(`Redis is not reachable at ${config.redisUrl} (${(error as Error).message}). Start it with: ${startRedisHint()}`);
  }
}

/**
 * What the subgraph and the workers both run on: PostgreSQL (migrated), Redis, the event bus, the
 * snapshot store and the job queue. Says in one line what is unreachable and how to start it.
 */
export async function connectServices(config: Config): Promise<AppServices & { close(): Promise<void> }> {
  const db = createDataSource(config);
  try {
    await db.initialize();
  } catch (error) {
    fail(
      `PostgreSQL is not reachable at ${config.databaseUrl} (${(error as Error).message}). Start it with: ${startPostgresHint()} (npm run dev creates a missing database)`,
    );
  }
  if (config.migrateOnStart) await migrate(db);
  else await assertMigrated(db).catch((error: Error) => fail(error.message));
  const redis = await connectRedis(config);
  const events = createRedisEventBus(config.redisUrl, config.redisPrefix);
  const store = await createSnapshotStore(config, db);
  const jobs = createBullJobQueue(config.redisUrl, config.redisPrefix);
  const mailer = createMailer(config.mail);
  if (!mailer) logger.info('e-mail notifications are off: SMTP_URL is not set');
  return {
    config,
    db,
    redis,
    events,
    store,
    jobs,
    files: createFileStorage(config.files),
    upstream: createUpstreamClients(config),
    mailer,
    async close() {
      mailer?.close();
      await Promise.allSettled([jobs.close(), events.close(), store.close()]);
      await Promise.allSettled([db.destroy(), redis.quit()]);
    },
  };
}
