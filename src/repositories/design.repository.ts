import type { EntityManager } from 'typeorm';
import { readableSql } from '../domain/permissions';
import type { Tier } from '../domain/tier';
import { DesignEntity } from '../../entities/design.entity';
import type { CollaboratorRole } from '../../entities/enums';
import { LayerEntity } from '../../entities/layer.entity';
import { prepared } from '../db/prepared-statements';
import { hydrate } from './hydrate';
import { isUuid, onlyUuids } from './uuid';

export type DesignWithRole = DesignEntity & { viewerRole: CollaboratorRole | null };

const ROLE_JOIN = 'LEFT JOIN collaborators c ON c.design_id = d.id AND c.user_id = $2';

const DESIGNS_WITH_ROLE = prepared(
  `SELECT row_to_json(d) AS design_row, c.role AS viewer_role FROM designs d ${ROLE_JOIN} WHERE d.id = ANY($1::uuid[]) AND d.deleted_at IS NULL`,
);

/**
 * `read_revision` is the design's revision as this statement's snapshot saw it; `revision` is that of
 * the row it locked. They differ when a change committed while the lock was awaited: READ COMMITTED
 * then re-reads the locked rows only, so the joined role may be older than the design.
 */
const LOCKED_READ = `(SELECT s.revision FROM designs s WHERE s.id = d.id) AS read_revision`;

const LOCK_DESIGNS_WITH_ROLE = {
  write: prepared(
    `SELECT row_to_json(d) AS design_row, c.role AS viewer_role, ${LOCKED_READ} FROM designs d ${ROLE_JOIN}
     WHERE d.id = ANY($1::uuid[]) AND d.deleted_at IS NULL ORDER BY d.id FOR UPDATE OF d`,
  ),
  share: prepared(
    `SELECT row_to_json(d) AS design_row, c.role AS viewer_role, ${LOCKED_READ} FROM designs d ${ROLE_JOIN}
     WHERE d.id = ANY($1::uuid[]) AND d.deleted_at IS NULL ORDER BY d.id FOR SHARE OF d`,
  ),
};

const LOCK_LAYER_WITH_DESIGN = prepared(
  `SELECT row_to_json(d) AS design_row, c.role AS viewer_role, ${LOCKED_READ}, row_to_json(l) AS layer_row
   FROM layers l JOIN designs d ON d.id = l.design_id ${ROLE_JOIN}
   WHERE l.id = $1::uuid FOR UPDATE OF d, l`,
);

type DesignRow = {
  design_row: Record<string, unknown> & { revision: number };
  viewer_role: CollaboratorRole | null;
  read_revision?: number;
};

function withRoles(m: EntityManager, rows: DesignRow[]): DesignWithRole[] {
  return hydrate(
    m,
    DesignEntity,
    rows.map((row) => row.design_row),
  ).map((design, i) => Object.assign(design, { viewerRole: rows[i]!.viewer_role ?? null }));
}

/**
 * Reads under a lock: the role joined to a design is current only if no change committed while the
 * lock was awaited. Every change of a collaborator bumps the design's revision under this same lock
 * (recordChange), so equal revisions prove it; otherwise the statement runs again, holding the locks
 * now, with a snapshot that sees that change. One statement in the usual case.
 */
async function readLocked(m: EntityManager, text: string, params: unknown[]): Promise<DesignRow[]> {
  const rows: DesignRow[] = await m.query(text, params);
  if (rows.every((row) => row.read_revision === row.design_row.revision)) return rows;
  return m.query(text, params);
}

/**
 * Designs (not deleted) with the caller's role on each; by hand rather than with the query builder:
 * every change and every access check runs it. With `lock`, their rows are locked too (FOR UPDATE or
 * FOR SHARE, in id order, so two writers of the same designs cannot deadlock).
 */
export async function findDesignsWithRole(
  m: EntityManager,
  ids: readonly string[],
  userId: string | null,
  lock?: 'write' | 'share',
): Promise<DesignWithRole[]> {
  const uuids = onlyUuids(ids);
  if (uuids.length === 0) return [];
  const rows = lock
    ? await readLocked(m, LOCK_DESIGNS_WITH_ROLE[lock], [uuids, userId])
    : await m.query(DESIGNS_WITH_ROLE, [uuids, userId]);
  return withRoles(m, rows);
}

/**
 * A layer and its design with the caller's role, both rows locked for the rest of the transaction, in
 * one statement; null when there is no such layer. The design may be deleted (`deletedAt`): the access
 * check treats it as absent. A layer never moves to another design.
 */
export async function lockLayerWithDesign(
  m: EntityManager,
  layerId: string,
  userId: string | null,
): Promise<{ design: DesignWithRole; layer: LayerEntity } | null> {
  if (!isUuid(layerId)) return null;
  const [row] = (await readLocked(m, LOCK_LAYER_WITH_DESIGN, [layerId, userId])) as (DesignRow & { layer_row: Record<string, unknown> })[];
  if (!row) return null;
  return { design: withRoles(m, [row])[0]!, layer: hydrate(m, LayerEntity, [row.layer_row])[0]! };
}

const READABLE_REVISIONS = prepared(`SELECT d.id, d.revision FROM designs d WHERE d.id = ANY($2::uuid[]) AND ${readableSql('$1')}`);

/** The revision of each of these designs the caller may read; the others (unknown, deleted, not readable) are absent. */
export async function findReadableRevisions(m: EntityManager, ids: readonly string[], userId: string | null): Promise<Map<string, number>> {
  const uuids = onlyUuids(ids);
  if (uuids.length === 0) return new Map();
  const rows: { id: string; revision: number }[] = await m.query(READABLE_REVISIONS, [userId, uuids]);
  return new Map(rows.map((r) => [r.id, r.revision]));
}

export async function updateOwnerTier(m: EntityManager, id: string, tier: Tier): Promise<void> {
  await m.update(DesignEntity, { id }, { ownerTier: tier });
}

export async function findDesignById(m: EntityManager, id: string): Promise<DesignEntity | null> {
  if (!isUuid(id)) return null;
  return m.findOneBy(DesignEntity, { id });
}

export async function insertDesign(m: EntityManager, design: DesignEntity): Promise<boolean> {
  const result = await m.createQueryBuilder().insert().into(DesignEntity).values(design).orIgnore().returning('id').execute();
  return (result.raw as unknown[]).length > 0;
}

export async function updateDesignFields(m: EntityManager, id: string, fields: Partial<DesignEntity>): Promise<void> {
  await m.update(DesignEntity, { id }, fields);
}

/** Bumps the revision of a locked design and returns the new one. */
/** Serializes design creation per owner for the rest of the transaction, so the tier limit holds under concurrency. */
export async function lockOwnerDesignCount(m: EntityManager, ownerId: string): Promise<number> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, [ownerId]);
  const rows: { count: string }[] = await m.query(`SELECT count(*) FROM designs WHERE owner_id = $1 AND deleted_at IS NULL`, [ownerId]);
  return Number(rows[0]!.count);
}

/** Counters that are not changes of the design: no revision, no change-log entry. */
export async function incrementForkCount(m: EntityManager, id: string): Promise<void> {
  await m.query(`UPDATE designs SET fork_count = fork_count + 1 WHERE id = $1`, [id]);
}

export async function setLastAutosaveAt(m: EntityManager, designId: string, at: Date): Promise<void> {
  await m.update(DesignEntity, { id: designId }, { lastAutosaveAt: at });
}
