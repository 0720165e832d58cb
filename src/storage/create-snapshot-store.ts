import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createMongoSnapshotStore } from './mongo-snapshot-store';
import { createPostgresSnapshotStore } from './postgres-snapshot-store';
import type { SnapshotStore } from './snapshot-store';

export async function createSnapshotStore(config: Pick<Config, 'mongodbUrl'>, db: DataSource): Promise<SnapshotStore> {
  return config.mongodbUrl ? createMongoSnapshotStore(config.mongodbUrl) : createPostgresSnapshotStore(db);
}
