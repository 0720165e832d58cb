import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { HistoryEntryEntity } from '../../entities/history-entry.entity';

export async function insertHistoryEntry(m: EntityManager, entry: HistoryEntryEntity): Promise<void> {
  // `data` is free-form JSON, which TypeORM's deep-partial type cannot follow.
  await m.insert(HistoryEntryEntity, entry as QueryDeepPartialEntity<HistoryEntryEntity>);
}

/** Newest first, keyset on revision. */
export async function pageHistory(m: EntityManager, designId: string, first: number, beforeRevision: number | null) {
  const qb = m
    .createQueryBuilder(HistoryEntryEntity, 'h')
    .where('h.design_id = :designId', { designId })
    .orderBy('h.revision', 'DESC')
    .take(first + 1);
  if (beforeRevision !== null) qb.andWhere('h.revision < :beforeRevision', { beforeRevision });
  const [rows, totalCount] = await Promise.all([qb.getMany(), m.countBy(HistoryEntryEntity, { designId })]);
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
}

/** Entries after `afterRevision` up to `toRevision` (inclusive, when given), oldest first. */
export async function historyAfter(m: EntityManager, designId: string, afterRevision: number, limit: number, toRevision?: number) {
  const qb = m
    .createQueryBuilder(HistoryEntryEntity, 'h')
    .where('h.design_id = :designId AND h.revision > :afterRevision', { designId, afterRevision })
    .orderBy('h.revision', 'ASC')
    .take(limit);
  if (toRevision !== undefined) qb.andWhere('h.revision <= :toRevision', { toRevision });
  return qb.getMany();
}

export async function findHistoryEntry(m: EntityManager, designId: string, revision: number): Promise<HistoryEntryEntity | null> {
  return m
    .createQueryBuilder(HistoryEntryEntity, 'h')
    .where('h.design_id = :designId AND h.revision = :revision', { designId, revision })
    .getOne();
}
