import { In, IsNull, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CommentEntity } from '../../entities/comment.entity';
import { onlyUuids } from './uuid';

export async function findCommentsByIds(m: EntityManager, ids: readonly string[]): Promise<CommentEntity[]> {
  const uuids = onlyUuids(ids);
  return uuids.length ? m.findBy(CommentEntity, { id: In(uuids) }) : [];
}

/** The comment, its row locked for the rest of the transaction (its design's comment stream is locked first). */
export async function findCommentForUpdate(m: EntityManager, id: string): Promise<CommentEntity | null> {
  const [comment] = onlyUuids([id]);
  if (!comment) return null;
  return m.createQueryBuilder(CommentEntity, 'c').where('c.id = :id', { id: comment }).setLock('pessimistic_write').getOne();
}

/** The design a comment belongs to, without a lock: where a write starts, before the design is locked. */
export async function findDesignIdOfComment(m: EntityManager, id: string): Promise<string | null> {
  const [comment] = onlyUuids([id]);
  if (!comment) return null;
  const rows: { design_id: string }[] = await m.query(`SELECT design_id FROM comments WHERE id = $1`, [comment]);
  return rows[0]?.design_id ?? null;
}

/** Replies of each thread, oldest first. */
export async function findRepliesByParentIds(m: EntityManager, parentIds: readonly string[]): Promise<CommentEntity[]> {
  const uuids = onlyUuids(parentIds);
  if (uuids.length === 0) return [];
  return m.find(CommentEntity, { where: { parentId: In(uuids) }, order: { createdAt: 'ASC', id: 'ASC' } });
}

export interface CommentFilter {
  designId: string;
  resolved?: boolean | null;
  layerId?: string | null;
}

/** A design's threads (top-level comments), newest first; keyset on (created_at, id), the timestamp as PostgreSQL prints it. */
export async function pageThreads(m: EntityManager, filter: CommentFilter, first: number, after: { at: string; id: string } | null) {
  const qb = m
    .createQueryBuilder(CommentEntity, 'c')
    .where('c.design_id = :designId AND c.parent_id IS NULL', { designId: filter.designId });
  if (filter.resolved === true) qb.andWhere('c.resolved_at IS NOT NULL');
  if (filter.resolved === false) qb.andWhere('c.resolved_at IS NULL');
  if (filter.layerId) qb.andWhere('c.layer_id = :layerId', { layerId: filter.layerId });
  const totalCount = await qb.getCount();
  qb.addSelect('c.created_at::text', 'sort_key')
    .orderBy('c.created_at', 'DESC')
    .addOrderBy('c.id', 'DESC')
    .limit(first + 1);
  if (after) qb.andWhere('(c.created_at, c.id) < (:at::timestamptz, :id::uuid)', after);
  const { entities, raw } = await qb.getRawAndEntities();
  return {
    rows: entities.slice(0, first).map((entity, i) => ({ entity, sortKey: raw[i].sort_key as string })),
    hasNextPage: entities.length > first,
    totalCount,
  };
}

export async function countComments(m: EntityManager, designId: string): Promise<number> {
  return m.countBy(CommentEntity, { designId });
}

export async function countReplies(m: EntityManager, parentId: string): Promise<number> {
  return m.countBy(CommentEntity, { parentId });
}

export async function countThreads(m: EntityManager, designId: string): Promise<number> {
  return m.countBy(CommentEntity, { designId, parentId: IsNull() });
}

export async function insertComment(m: EntityManager, comment: CommentEntity): Promise<void> {
  await m.insert(CommentEntity, comment as QueryDeepPartialEntity<CommentEntity>);
}

export async function updateComment(m: EntityManager, id: string, fields: Partial<CommentEntity>): Promise<void> {
  await m.update(CommentEntity, { id }, fields as QueryDeepPartialEntity<CommentEntity>);
}

/** Deletes the comment; its replies go with it (ON DELETE CASCADE). */
export async function deleteComment(m: EntityManager, id: string): Promise<void> {
  await m.delete(CommentEntity, { id });
}

/** A deleted design's comments and their log go at once: nobody can read them again [CM8]. */
export async function deleteCommentsOfDesign(m: EntityManager, designId: string): Promise<void> {
  await m.query(`DELETE FROM comment_events WHERE design_id = $1`, [designId]);
  await m.query(`DELETE FROM comment_streams WHERE design_id = $1`, [designId]);
  await m.query(`DELETE FROM comments WHERE design_id = $1`, [designId]);
}

/** Of these users, those with a collaborator row on the design, with their role. */
export async function findRolesOf(m: EntityManager, designId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const uuids = onlyUuids(userIds);
  if (uuids.length === 0) return new Map();
  const rows: { user_id: string; role: string }[] = await m.query(
    `SELECT user_id, role FROM collaborators WHERE design_id = $1 AND user_id = ANY($2::uuid[])`,
    [designId, uuids],
  );
  return new Map(rows.map((r) => [r.user_id, r.role]));
}
