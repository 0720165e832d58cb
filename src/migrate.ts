import 'reflect-metadata';
import { loadConfigOrExit } from './bootstrap';
import { createDataSource, migrate } from './db/data-source';
import { logger } from './logger';

/**
 * npm run migrate: the database's migrations and the change log's coming partitions, as a step of its
 * own before the processes start (production starts with MIGRATE_ON_START=false). Replicas running it
 * at once take turns (an advisory lock).
 */
async function main() {
  const config = loadConfigOrExit();
  const db = createDataSource(config);
  await db.initialize();
  try {
    const pending = await db.showMigrations();
    await migrate(db);
    logger.info({ pending }, pending ? 'migrations run' : 'no migration was pending');
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  logger.fatal({ err: error }, 'migrate failed');
  process.exit(1);
});
