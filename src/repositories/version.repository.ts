import { In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { VersionEntity } from '../../entities/version.entity';
import { isUuid } from './uuid';

export async function insertVersion(m: EntityManager, version: VersionEntity): Promise<void> {
  // `diff` is free-form JSON, which TypeORM's deep-partial type cannot follow.
  await m.insert(VersionEntity, version as QueryDeepPartialEntity<VersionEntity>);
}

export async function findVersion(m: EntityManager, designId: string, number: number): Promise<VersionEntity | null> {
  if (!isUuid(designId)) return null;
  return m.findOneBy(VersionEntity, { designId, number });
}

export async function findLatestVersion(m: EntityManager, designId: string): Promise<VersionEntity | null> {
  return m.findOne(VersionEntity, { where: { designId }, order: { number: 'DESC' } });
}

export async function findVersionsByIds(m: EntityManager, ids: readonly string[]): Promise<VersionEntity[]> {
  return ids.length ? m.findBy(VersionEntity, { id: In([...ids]) }) : [];
}

/** Newest first, keyset on number. */
export async function pageVersions(m: EntityManager, designId: string, first: number, beforeNumber: number | null) {
  const qb = m
    .createQueryBuilder(VersionEntity, 'v')
    .where('v.design_id = :designId', { designId })
    .orderBy('v.number', 'DESC')
    .take(first + 1);
  if (beforeNumber !== null) qb.andWhere('v.number < :beforeNumber', { beforeNumber });
  const [rows, totalCount] = [await qb.getMany(), await m.countBy(VersionEntity, { designId })];
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
}

/** Of `ids`, the snapshots something still refers to: a version, an export that keeps its state, a render on its way. */
export async function findReferencedSnapshotIds(m: EntityManager, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows: { id: string }[] = await m.query(
    `SELECT snapshot_id AS id FROM design_versions WHERE snapshot_id = ANY($1::uuid[])
     UNION SELECT id FROM exports WHERE id = ANY($1::uuid[]) AND state_kept
     UNION SELECT id FROM renders WHERE id = ANY($1::uuid[]) AND status IN ('QUEUED', 'RENDERING')`,
    [ids],
  );
  return new Set(rows.map((r) => r.id));
}
