import { MongoClient, type Collection } from 'mongodb';
import type { AutosaveRecord, RenderCacheEntry, SnapshotRecord, SnapshotStore } from './snapshot-store';

type SnapshotDoc = Omit<SnapshotRecord, 'id'> & { _id: string };
type AutosaveDoc = AutosaveRecord & { _id: string };
type RenderCacheDoc = Omit<RenderCacheEntry, 'renderHash'> & { _id: string };

const fromAutosave = ({ _id: _ignored, ...doc }: AutosaveDoc): AutosaveRecord => doc;

/**
 * The MongoDB snapshot store (MONGODB_URL), with the specification's collections, created with their
 * indexes at start: design_snapshots (`versionId`, unique per design and version), design_autosaves
 * (`userId`) and render_cache (the hash is the unique _id; `hitCount`, `lastAccessed`), the last two
 * with a TTL index on `expiresAt` (autosaves 7 days, renders 30 days after creation), so MongoDB removes
 * them itself.
 */
export async function createMongoSnapshotStore(url: string, prefix = ''): Promise<SnapshotStore> {
  const client = await new MongoClient(url, { serverSelectionTimeoutMS: 5000 }).connect();
  const db = client.db();
  const snapshots: Collection<SnapshotDoc> = db.collection(`${prefix}design_snapshots`);
  const autosaves: Collection<AutosaveDoc> = db.collection(`${prefix}design_autosaves`);
  await snapshots.createIndex({ designId: 1 });
  await snapshots.createIndex({ createdAt: 1 });
  // One snapshot per version; renders' and exports' snapshots have none.
  await snapshots.createIndex({ designId: 1, versionId: 1 }, { unique: true, partialFilterExpression: { versionId: { $type: 'string' } } });
  await autosaves.createIndex({ designId: 1, number: -1 }, { unique: true });
  await autosaves.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  // The hash is the _id (unique); the TTL index removes entries at `expiresAt` (30 days after creation).
  const renderCache: Collection<RenderCacheDoc> = db.collection(`${prefix}render_cache`);
  await renderCache.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });

  const store: SnapshotStore = {
    name: 'mongodb',
    within: () => store,
    async saveSnapshot({ id, ...rest }) {
      await snapshots.updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true });
    },
    async getSnapshots(ids) {
      const docs = await snapshots.find({ _id: { $in: [...ids] } }).toArray();
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
    async deleteSnapshots(ids) {
      if (ids.length > 0) await snapshots.deleteMany({ _id: { $in: [...ids] } });
    },
    async snapshotIdsWritten(from, to, limit) {
      const docs = await snapshots
        .find({ createdAt: { $gte: from, $lt: to } }, { projection: { _id: 1 } })
        .sort({ createdAt: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => d._id);
    },
    async saveAutosave(a) {
      for (let attempt = 0; ; attempt++) {
        const [latest] = await autosaves.find({ designId: a.designId }).sort({ number: -1 }).limit(1).toArray();
        const record: AutosaveRecord = { ...a, number: (latest?.number ?? 0) + 1 };
        try {
          await autosaves.insertOne({ _id: `${a.designId}:${record.number}`, ...record });
          return record;
        } catch (error) {
          if ((error as { code?: number }).code !== 11000 || attempt >= 3) throw error;
        }
      }
    },
    async latestAutosave(designId, now) {
      const [doc] = await autosaves
        .find({ designId, expiresAt: { $gt: now } })
        .sort({ number: -1 })
        .limit(1)
        .toArray();
      return doc ? fromAutosave(doc) : null;
    },
    async getAutosave(designId, number, now) {
      const doc = await autosaves.findOne({ designId, number, expiresAt: { $gt: now } });
      return doc ? fromAutosave(doc) : null;
    },
    async pageAutosaves(designId, first, beforeNumber, now) {
      const filter = { designId, expiresAt: { $gt: now }, ...(beforeNumber !== null ? { number: { $lt: beforeNumber } } : {}) };
      const docs = await autosaves
        .find(filter)
        .sort({ number: -1 })
        .limit(first + 1)
        .toArray();
      const totalCount = await autosaves.countDocuments({ designId, expiresAt: { $gt: now } });
      return { rows: docs.slice(0, first).map(fromAutosave), totalCount, hasNextPage: docs.length > first };
    },
    async deleteExpiredAutosaves(now) {
      return (await autosaves.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
    async getRenderCache(renderHash, now) {
      const doc = await renderCache.findOneAndUpdate(
        { _id: renderHash, expiresAt: { $gt: now } },
        { $inc: { hitCount: 1 }, $set: { lastAccessed: now } },
        { returnDocument: 'after' },
      );
      if (!doc) return null;
      const { _id, ...rest } = doc;
      return { renderHash: _id, ...rest };
    },
    async putRenderCache({ renderHash, ...rest }) {
      const fresh = { ...rest, hitCount: 0, lastAccessed: null };
      await renderCache
        .updateOne({ _id: renderHash, expiresAt: { $lte: new Date() } }, { $set: fresh }, { upsert: true })
        .catch((error) => {
          if ((error as { code?: number }).code !== 11000) throw error;
        });
    },
    async deleteExpiredRenderCache(now) {
      return (await renderCache.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
    async close() {
      await client.close();
    },
  };
  return store;
}
