import 'reflect-metadata';
import { test } from 'node:test';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { createMongoSnapshotStore } from '../src/storage/mongo-snapshot-store';
import { createPostgresSnapshotStore } from '../src/storage/postgres-snapshot-store';
import { registerSnapshotStoreTests } from './snapshot-store.contract';

registerSnapshotStoreTests('postgres', async () => {
  const db = await createDataSource(loadConfig()).initialize();
  const store = createPostgresSnapshotStore(db);
  return { ...store, close: async () => void (await db.destroy()) };
});

if (process.env.MONGODB_URL) {
  registerSnapshotStoreTests('mongodb', () => createMongoSnapshotStore(process.env.MONGODB_URL!, `test_${Date.now()}_`));
} else {
  test(
    'snapshot store contract: mongodb',
    { skip: 'MONGODB_URL is not set (no MongoDB server can be installed on these machines)' },
    () => {},
  );
}
