import { DataSource, type Logger as OrmLogger } from 'typeorm';
import { ENTITIES } from '../../entities';
import type { Config } from '../config';
import { logger } from '../logger';
import { ensureHistoryPartitions } from '../repositories/history.repository';
import { sqlStatements } from '../observability/metrics';
import { PoolClient } from './pg-client';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { VersionsUndoAutosave1764100000000 } from './migrations/1764100000000-versions-undo-autosave';
import { Exports1764200000000 } from './migrations/1764200000000-exports';
import { Renders1764300000000 } from './migrations/1764300000000-renders';
import { OwnerTier1764400000000 } from './migrations/1764400000000-owner-tier';
import { RenderFiles1764500000000 } from './migrations/1764500000000-render-files';
import { ExportState1764600000000 } from './migrations/1764600000000-export-state';
import { RenderSources1764700000000 } from './migrations/1764700000000-render-sources';
import { ExportSources1764800000000 } from './migrations/1764800000000-export-sources';
import { JobReconciliation1764900000000 } from './migrations/1764900000000-job-reconciliation';
import { UsedLayerIds1765000000000 } from './migrations/1765000000000-used-layer-ids';
import { HistoryPartitionsAhead1765100000000 } from './migrations/1765100000000-history-partitions-ahead';
import { StoreFields1765200000000 } from './migrations/1765200000000-store-fields';
import { Comments1765300000000 } from './migrations/1765300000000-comments';
import { ShareLinksLikesViews1765400000000 } from './migrations/1765400000000-share-links-likes-views';
import { Notifications1765500000000 } from './migrations/1765500000000-notifications';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  VersionsUndoAutosave1764100000000,
  Exports1764200000000,
  Renders1764300000000,
  OwnerTier1764400000000,
  RenderFiles1764500000000,
  ExportState1764600000000,
  RenderSources1764700000000,
  ExportSources1764800000000,
  JobReconciliation1764900000000,
  UsedLayerIds1765000000000,
  HistoryPartitionsAhead1765100000000,
  StoreFields1765200000000,
  Comments1765300000000,
  ShareLinksLikesViews1765400000000,
  Notifications1765500000000,
];

/** Counts every statement (for /metrics and the N+1 tests) and logs failures through the one logger. */
class CountingLogger implements OrmLogger {
  logQuery() {
    sqlStatements.inc();
  }
  logQueryError(error: string | Error, query: string) {
    sqlStatements.inc();
    logger.debug({ err: error, query }, 'SQL statement failed');
  }
  logQuerySlow(time: number, query: string) {
    logger.warn({ time, query: query.slice(0, 500) }, 'slow SQL statement');
  }
  logSchemaBuild() {}
  logMigration(message: string) {
    logger.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown) {
    if (level === 'warn') logger.warn({ message }, 'typeorm');
  }
}

export function createDataSource(config: Pick<Config, 'databaseUrl' | 'databasePoolSize' | 'databaseConnectTimeoutMs'>): DataSource {
  return new DataSource({
    type: 'postgres',
    url: config.databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: ['query', 'error', 'warn', 'migration'],
    logger: new CountingLogger(),
    maxQueryExecutionTime: 500,
    // Bounds both a new connection and the wait for a free one: while PostgreSQL is away a request
    // fails within this (SERVICE_UNAVAILABLE) instead of hanging.
    extra: { max: config.databasePoolSize, connectionTimeoutMillis: config.databaseConnectTimeoutMs, Client: PoolClient },
  });
}

/** Arbitrary constant: the advisory lock that lets one replica at a time migrate. */
const MIGRATION_LOCK = 7_264_001;

/** Refuses to run on a database with migrations pending (MIGRATE_ON_START=false): `npm run migrate` first. */
export async function assertMigrated(db: DataSource): Promise<void> {
  if (await db.showMigrations()) {
    throw new Error('The database has migrations pending: run `npm run migrate` (or start with MIGRATE_ON_START=true)');
  }
}

/** Runs pending migrations and creates the change log's partitions for the coming months. */
export async function migrate(db: DataSource): Promise<void> {
  const lock = db.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await db.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
  try {
    await ensureHistoryPartitions(db.manager, new Date());
  } catch (error) {
    // The change log still works without them (in the default partition), and the workers' scheduled
    // job tries again: worth a warning, not a failed start.
    logger.warn({ err: error }, 'could not create the change log partitions for the coming months');
  }
}
