import { In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ExportEntity, ExportStatus } from '../../entities/export.entity';
import { onlyUuids } from './uuid';

export async function findExportsByIds(m: EntityManager, ids: readonly string[]): Promise<ExportEntity[]> {
  const uuids = onlyUuids(ids);
  return uuids.length ? m.findBy(ExportEntity, { id: In(uuids) }) : [];
}

/** Newest first; keyset on (created_at, id), with the timestamp as PostgreSQL prints it (microseconds). */
export async function pageExports(m: EntityManager, designId: string, first: number, after: { at: string; id: string } | null) {
  const qb = m
    .createQueryBuilder(ExportEntity, 'e')
    .addSelect('e.created_at::text', 'sort_key')
    .where('e.design_id = :designId', { designId })
    .orderBy('e.created_at', 'DESC')
    .addOrderBy('e.id', 'DESC')
    .limit(first + 1);
  if (after) qb.andWhere('(e.created_at, e.id) < (:at::timestamptz, :id::uuid)', after);
  const { entities, raw } = await qb.getRawAndEntities();
  const totalCount = await m.countBy(ExportEntity, { designId });
  return {
    rows: entities.slice(0, first).map((entity, i) => ({ entity, sortKey: raw[i].sort_key as string })),
    hasNextPage: entities.length > first,
    totalCount,
  };
}

export async function insertExport(m: EntityManager, exported: ExportEntity): Promise<void> {
  await m.insert(ExportEntity, exported as QueryDeepPartialEntity<ExportEntity>);
}

export async function updateExport(m: EntityManager, id: string, fields: Partial<ExportEntity>): Promise<void> {
  await m.update(ExportEntity, { id }, fields as QueryDeepPartialEntity<ExportEntity>);
}

/** Exports past their expiry that still have a file or a kept state. */
export async function findExpiredExports(m: EntityManager, now: Date): Promise<ExportEntity[]> {
  return m
    .createQueryBuilder(ExportEntity, 'e')
    .where('e.expires_at <= :now AND (e.file_key IS NOT NULL OR e.state_kept)', { now })
    .limit(500)
    .getMany();
}

/**
 * Applies `fields` only while the export has one of `statuses` and is still in run `retryCount`:
 * false when it changed meanwhile (a cancellation, or a retry whose new run owns it now).
 */
export async function updateExportWhile(
  m: EntityManager,
  id: string,
  retryCount: number,
  statuses: ExportStatus[],
  fields: Partial<ExportEntity>,
): Promise<boolean> {
  const result = await m.update(ExportEntity, { id, retryCount, status: In(statuses) }, fields as QueryDeepPartialEntity<ExportEntity>);
  return (result.affected ?? 0) > 0;
}

/** Exports of this user still QUEUED or PROCESSING, counted under a per-user lock held to the end of the transaction. */
export async function lockActiveExportCount(m: EntityManager, userId: string): Promise<number> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 11))`, [userId]);
  const rows: { count: string }[] = await m.query(
    `SELECT count(*) FROM exports WHERE requested_by = $1 AND status IN ('QUEUED', 'PROCESSING')`,
    [userId],
  );
  return Number(rows[0]!.count);
}

const IN_FLIGHT = [ExportStatus.QUEUED, ExportStatus.PROCESSING];

/** Exports in flight whose run was queued before `before`: a page in id order after `afterId`, for the reconciler. */
export async function findExportsInFlight(
  m: EntityManager,
  props: { before: Date; afterId: string; limit: number },
): Promise<Pick<ExportEntity, 'id' | 'retryCount' | 'requeueCount'>[]> {
  return m
    .createQueryBuilder(ExportEntity, 'e')
    .select(['e.id', 'e.retryCount', 'e.requeueCount'])
    .where('e.status IN (:...inFlight) AND e.queued_at < :before AND e.id > :afterId', {
      inFlight: IN_FLIGHT,
      before: props.before,
      afterId: props.afterId,
    })
    .orderBy('e.id')
    .limit(props.limit)
    .getMany();
}

/**
 * Counts one more requeue, queued now, of an export run still in flight whose count is still `seen`;
 * false when it ended, was retried, or another worker process counted this loss first.
 */
export async function countExportRequeue(m: EntityManager, id: string, retryCount: number, seen: number, now: Date): Promise<boolean> {
  const result = await m.update(
    ExportEntity,
    { id, retryCount, status: In(IN_FLIGHT), requeueCount: seen },
    { requeueCount: seen + 1, queuedAt: now },
  );
  return (result.affected ?? 0) > 0;
}
