import type { DataSource, EntityManager } from 'typeorm';
import type { AutosaveRecord, SnapshotRecord, SnapshotStore } from './snapshot-store';

interface AutosaveRow {
  design_id: string;
  number: number;
  revision: number;
  state: AutosaveRecord['state'];
  diff: AutosaveRecord['diff'];
  user_id: string | null;
  created_at: Date;
  expires_at: Date;
}

const toAutosave = (row: AutosaveRow): AutosaveRecord => ({
  designId: row.design_id,
  number: row.number,
  revision: row.revision,
  state: row.state,
  diff: row.diff,
  userId: row.user_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/**
 * The default snapshot store: tables design_snapshots, design_autosaves and render_cache. `db` is the
 * pool, or a transaction's manager (`within`): then what it writes commits or rolls back with it.
 */
export function createPostgresSnapshotStore(db: DataSource | EntityManager): SnapshotStore {
  return {
    name: 'postgres',
    within: (manager) => createPostgresSnapshotStore(manager),
    async saveSnapshot(s) {
      await db.query(
        `INSERT INTO design_snapshots (id, design_id, revision, state, created_at, version_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [s.id, s.designId, s.revision, JSON.stringify(s.state), s.createdAt, s.versionId],
      );
    },
    async getSnapshots(ids) {
      if (ids.length === 0) return [];
      const rows: {
        id: string;
        design_id: string;
        revision: number;
        state: SnapshotRecord['state'];
        created_at: Date;
        version_id: string | null;
      }[] = await db.query(
        `SELECT id, design_id, revision, state, created_at, version_id FROM design_snapshots WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return rows.map((r) => ({
        id: r.id,
        designId: r.design_id,
        revision: r.revision,
        state: r.state,
        createdAt: r.created_at,
        versionId: r.version_id,
      }));
    },
    async deleteSnapshots(ids) {
      if (ids.length > 0) await db.query(`DELETE FROM design_snapshots WHERE id = ANY($1::uuid[])`, [ids]);
    },
    async snapshotIdsWritten(from, to, limit) {
      const rows: { id: string }[] = await db.query(
        `SELECT id FROM design_snapshots WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at LIMIT $3`,
        [from, to, limit],
      );
      return rows.map((r) => r.id);
    },
    async saveAutosave(a) {
      // A concurrent writer may take the same number: nothing is inserted then (no error, so a caller's
      // transaction stays usable), and the next try takes the number after it.
      for (let attempt = 0; ; attempt++) {
        const rows: AutosaveRow[] = await db.query(
          `INSERT INTO design_autosaves (design_id, number, revision, state, diff, created_at, expires_at, user_id)
           SELECT $1, coalesce(max(number), 0) + 1, $2, $3, $4, $5, $6, $7 FROM design_autosaves WHERE design_id = $1
           ON CONFLICT (design_id, number) DO NOTHING
           RETURNING *`,
          [a.designId, a.revision, JSON.stringify(a.state), a.diff ? JSON.stringify(a.diff) : null, a.createdAt, a.expiresAt, a.userId],
        );
        if (rows[0]) return toAutosave(rows[0]);
        if (attempt >= 3) throw new Error(`autosave of design ${a.designId}: no free number after ${attempt + 1} tries`);
      }
    },
    async latestAutosave(designId, now) {
      const rows: AutosaveRow[] = await db.query(
        `SELECT * FROM design_autosaves WHERE design_id = $1 AND expires_at > $2 ORDER BY number DESC LIMIT 1`,
        [designId, now],
      );
      return rows[0] ? toAutosave(rows[0]) : null;
    },
    async getAutosave(designId, number, now) {
      const rows: AutosaveRow[] = await db.query(
        `SELECT * FROM design_autosaves WHERE design_id = $1 AND number = $2 AND expires_at > $3`,
        [designId, number, now],
      );
      return rows[0] ? toAutosave(rows[0]) : null;
    },
    async pageAutosaves(designId, first, beforeNumber, now) {
      const rows: AutosaveRow[] = await db.query(
        `SELECT * FROM design_autosaves WHERE design_id = $1 AND expires_at > $2 AND ($3::int IS NULL OR number < $3)
         ORDER BY number DESC LIMIT $4`,
        [designId, now, beforeNumber, first + 1],
      );
      const count: { n: number }[] = await db.query(
        `SELECT count(*)::int AS n FROM design_autosaves WHERE design_id = $1 AND expires_at > $2`,
        [designId, now],
      );
      return { rows: rows.slice(0, first).map(toAutosave), totalCount: count[0]!.n, hasNextPage: rows.length > first };
    },
    async deleteExpiredAutosaves(now) {
      const [, count]: [unknown, number] = await db.query(`DELETE FROM design_autosaves WHERE expires_at <= $1`, [now]);
      return count;
    },
    async getRenderCache(renderHash, now) {
      // An UPDATE through TypeORM answers [rows, affected].
      const [rows]: [
        {
          render_hash: string;
          file_key: string;
          width: number;
          height: number;
          format: string;
          created_at: Date;
          expires_at: Date;
          hit_count: number;
          last_accessed: Date | null;
        }[],
        number,
      ] = await db.query(
        `UPDATE render_cache SET hit_count = hit_count + 1, last_accessed = $2 WHERE render_hash = $1 AND expires_at > $2 RETURNING *`,
        [renderHash, now],
      );
      const row = rows[0];
      return row
        ? {
            renderHash: row.render_hash,
            fileKey: row.file_key,
            width: row.width,
            height: row.height,
            format: row.format,
            createdAt: row.created_at,
            expiresAt: row.expires_at,
            hitCount: row.hit_count,
            lastAccessed: row.last_accessed,
          }
        : null;
    },
    async putRenderCache(e) {
      await db.query(
        `INSERT INTO render_cache (render_hash, file_key, width, height, format, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (render_hash) DO UPDATE SET file_key = EXCLUDED.file_key, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
           hit_count = 0, last_accessed = NULL
         WHERE render_cache.expires_at <= now()`,
        [e.renderHash, e.fileKey, e.width, e.height, e.format, e.createdAt, e.expiresAt],
      );
    },
    async deleteExpiredRenderCache(now) {
      const [, count]: [unknown, number] = await db.query(`DELETE FROM render_cache WHERE expires_at <= $1`, [now]);
      return count;
    },
    async close() {},
  };
}
