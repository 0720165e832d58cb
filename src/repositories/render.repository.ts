import { In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { RenderEntity, RenderStatus } from '../../entities/render.entity';
import type { SceneSources } from '../render/scene-input';
import { onlyUuids } from './uuid';

const asRow = (fields: Partial<RenderEntity>) => fields as QueryDeepPartialEntity<RenderEntity>;

export async function insertRender(m: EntityManager, render: RenderEntity): Promise<void> {
  await m.insert(RenderEntity, asRow(render));
}

/** False when an equal render (same design and hash) is already on its way: the unique index refused this one. */
export async function insertRenderUnlessInFlight(m: EntityManager, render: RenderEntity): Promise<boolean> {
  const result = await m.createQueryBuilder().insert().into(RenderEntity).values(asRow(render)).orIgnore().returning(['id']).execute();
  return (result.raw as unknown[]).length > 0;
}

/** Changes the render only while its status is one of `from`; false when it was not. */
export async function updateRenderWhile(
  m: EntityManager,
  id: string,
  from: RenderStatus[],
  fields: Partial<RenderEntity>,
): Promise<boolean> {
  const result = await m.update(RenderEntity, { id, status: In(from) }, asRow(fields));
  return (result.affected ?? 0) > 0;
}

export async function findRendersByIds(m: EntityManager, ids: readonly string[]): Promise<RenderEntity[]> {
  const uuids = onlyUuids(ids);
  return uuids.length ? m.findBy(RenderEntity, { id: In(uuids) }) : [];
}

/**
 * The newest render of this design with this hash: the one on its way that an equal request shares
 * (or, when it finished in the meantime, its result).
 */
export async function findNewestRender(m: EntityManager, designId: string, renderHash: string): Promise<RenderEntity | null> {
  return m.findOne(RenderEntity, { where: { designId, renderHash }, order: { createdAt: 'DESC' } });
}

/** The avatar and catalog data the newest render of this design at this revision was drawn from, if any. */
export async function findLastSceneSources(m: EntityManager, designId: string, revision: number): Promise<SceneSources | null> {
  const rows: { scene_sources: SceneSources }[] = await m.query(
    `SELECT scene_sources FROM renders WHERE design_id = $1 AND revision = $2 AND scene_sources IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
    [designId, revision],
  );
  return rows[0]?.scene_sources ?? null;
}

/** The newest completed render at default settings of each design, while its file is kept. */
export async function findPreviews(m: EntityManager, designIds: readonly string[]): Promise<RenderEntity[]> {
  if (designIds.length === 0) return [];
  return m
    .createQueryBuilder(RenderEntity, 'r')
    .distinctOn(['r.design_id'])
    .where('r.design_id = ANY(:ids) AND r.status = :status AND r.default_settings AND r.file_key IS NOT NULL', {
      ids: [...designIds],
      status: RenderStatus.COMPLETED,
    })
    .orderBy('r.design_id')
    .addOrderBy('r.created_at', 'DESC')
    .getMany();
}

/** Render files whose newest render completed before `before`. */
export async function findExpiredRenderFiles(m: EntityManager, before: Date, limit: number): Promise<string[]> {
  const rows: { file_key: string }[] = await m.query(
    `SELECT file_key FROM renders WHERE file_key IS NOT NULL GROUP BY file_key HAVING max(completed_at) < $1 LIMIT $2`,
    [before, limit],
  );
  return rows.map((r) => r.file_key);
}

export async function clearRenderFiles(m: EntityManager, fileKeys: string[]): Promise<void> {
  await m.query(`UPDATE renders SET file_key = NULL WHERE file_key = ANY($1)`, [fileKeys]);
}

const IN_FLIGHT = [RenderStatus.QUEUED, RenderStatus.RENDERING];

/** Renders in flight whose job was last queued before `before`: a page in id order after `afterId`, for the reconciler. */
export async function findRendersInFlight(
  m: EntityManager,
  props: { before: Date; afterId: string; limit: number },
): Promise<Pick<RenderEntity, 'id' | 'requeueCount'>[]> {
  return m
    .createQueryBuilder(RenderEntity, 'r')
    .select(['r.id', 'r.requeueCount'])
    .where('r.status IN (:...inFlight) AND r.queued_at < :before AND r.id > :afterId', {
      inFlight: IN_FLIGHT,
      before: props.before,
      afterId: props.afterId,
    })
    .orderBy('r.id')
    .limit(props.limit)
    .getMany();
}

/**
 * Counts one more requeue, queued now, of a render still in flight whose count is still `seen`;
 * false when it ended meanwhile or another worker process counted this loss first.
 */
export async function countRenderRequeue(m: EntityManager, id: string, seen: number, now: Date): Promise<boolean> {
  const result = await m.update(RenderEntity, { id, status: In(IN_FLIGHT), requeueCount: seen }, { requeueCount: seen + 1, queuedAt: now });
  return (result.affected ?? 0) > 0;
}
