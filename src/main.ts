import 'reflect-metadata';
import { Redis } from 'ioredis';
import { createTokenVerifier } from './auth/tokens';
import { ConfigError, loadConfig, type Config } from './config';
import { createDataSource, migrate } from './db/data-source';
import { buildFederatedSchema } from './graphql/build-schema';
import { createApp } from './http/create-app';
import { logger } from './logger';
import { START_POSTGRES, START_REDIS } from './service-hints';
import { createUpstreamClients } from './upstream/subgraphs';

function fail(message: string): never {
  logger.fatal(message);
  process.exit(1);
}

async function connectRedis(config: Config): Promise<Redis> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, keyPrefix: config.redisPrefix });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    fail(`Redis is not reachable at ${config.redisUrl} (${(error as Error).message}). Start it with: ${START_REDIS}`);
  }
}

export async function start() {
  const startedAt = Date.now();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`Invalid configuration: ${error.message}`);
    throw error;
  }

  const db = createDataSource(config);
  try {
    await db.initialize();
  } catch (error) {
    fail(`PostgreSQL is not reachable at ${config.databaseUrl} (${(error as Error).message}). Start it with: ${START_POSTGRES} (npm run dev creates a missing database)`);
  }
  await migrate(db);
  const redis = await connectRedis(config);
  const { schema } = await buildFederatedSchema();
  const { httpServer, apollo } = await createApp({ config, db, redis, schema, upstream: createUpstreamClients(config), tokens: createTokenVerifier(config.jwt) });

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, ms: Date.now() - startedAt }, `design subgraph ready at http://127.0.0.1:${port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await apollo.stop();
    await Promise.allSettled([db.destroy(), redis.quit()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (require.main === module) {
  start().catch((error) => {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  });
}
