import type { EntityManager } from 'typeorm';
import { readableSql } from '../domain/permissions';
import type { Tier } from '../domain/tier';
import { DesignEntity } from '../../entities/design.entity';
import type { CollaboratorRole } from '../../entities/enums';
import { hydrate } from './hydrate';
import { isUuid, onlyUuids } from './uuid';

export type DesignWithRole = DesignEntity & { viewerRole: CollaboratorRole | null };

/**
 * Designs (not deleted) with the caller's role on each. With `lock`, their rows are locked first (FOR
 * UPDATE or FOR SHARE, in id order, so two writers of the same designs cannot deadlock), and the role
 * is read by a statement after it: a collaborator change that committed while this waited for the
 * lock is seen (READ COMMITTED re-reads only the locked rows of the locking statement itself).
 */
export async function findDesignsWithRole(
  m: EntityManager,
  ids: readonly string[],
  userId: string | null,
  lock?: 'write' | 'share',
): Promise<DesignWithRole[]> {
  const uuids = onlyUuids(ids);
  if (uuids.length === 0) return [];
  if (lock) {
    await m.query(`SELECT id FROM designs WHERE id = ANY($1::uuid[]) ORDER BY id FOR ${lock === 'write' ? 'UPDATE' : 'SHARE'}`, [uuids]);
  }
  // By hand rather than with the query builder: every change and every access check runs it, and
  // TypeORM's query building was a tenth of a change's CPU.
  const rows = (await m.query(
    `SELECT d.*, c.role AS viewer_role FROM designs d
     LEFT JOIN collaborators c ON c.design_id = d.id AND c.user_id = $2
     WHERE d.id = ANY($1::uuid[]) AND d.deleted_at IS NULL`,
    [uuids, userId],
  )) as Record<string, unknown>[];
  const designs = hydrate(m, DesignEntity, rows);
  return designs.map((design, i) => Object.assign(design, { viewerRole: (rows[i]!.viewer_role ?? null) as CollaboratorRole | null }));
}

/**
 * Locks, for the rest of the transaction, the design a layer belongs to, found and locked in one
 * statement; its id, or null when there is no such layer. A layer never moves to another design.
 */
export async function lockDesignOfLayer(m: EntityManager, layerId: string): Promise<string | null> {
  if (!isUuid(layerId)) return null;
  const rows: { id: string }[] = await m.query(
    `SELECT d.id FROM designs d WHERE d.id = (SELECT l.design_id FROM layers l WHERE l.id = $1) FOR UPDATE`,
    [layerId],
  );
  return rows[0]?.id ?? null;
}

/** The revision of each of these designs the caller may read; the others (unknown, deleted, not readable) are absent. */
export async function findReadableRevisions(m: EntityManager, ids: readonly string[], userId: string | null): Promise<Map<string, number>> {
  const uuids = onlyUuids(ids);
  if (uuids.length === 0) return new Map();
  const rows: { id: string; revision: number }[] = await m.query(
    `SELECT d.id, d.revision FROM designs d WHERE d.id = ANY($2) AND ${readableSql('$1')}`,
    [userId, uuids],
  );
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
