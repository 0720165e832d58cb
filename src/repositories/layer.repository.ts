import { In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { LayerEntity } from '../../entities/layer.entity';
import { prepared } from '../db/prepared-statements';
import { hydrate } from './hydrate';
import type { PendingWrite } from './pending-write';
import { isUuid, onlyUuids } from './uuid';

// `customization.extra` is free-form JSON, which TypeORM's deep-partial type cannot follow.
const asRow = (fields: Partial<LayerEntity>) => fields as QueryDeepPartialEntity<LayerEntity>;

export async function findLayersByDesignIds(m: EntityManager, designIds: readonly string[]): Promise<LayerEntity[]> {
  if (designIds.length === 0) return [];
  return m.find(LayerEntity, { where: { designId: In([...designIds]) }, order: { designId: 'ASC', order: 'ASC' } });
}

export async function findLayersByIds(m: EntityManager, ids: readonly string[]): Promise<LayerEntity[]> {
  const uuids = onlyUuids(ids);
  if (uuids.length === 0) return [];
  return m.findBy(LayerEntity, { id: In(uuids) });
}

/** The design's stack, bottom to top; call with the design row locked. */
export async function findStack(m: EntityManager, designId: string): Promise<LayerEntity[]> {
  return m.find(LayerEntity, { where: { designId }, order: { order: 'ASC' } });
}

/** By hand rather than `findOneBy`: every layer change reads one, and TypeORM's query building was a tenth of a change's CPU. */
export async function findLayerById(m: EntityManager, id: string): Promise<LayerEntity | null> {
  if (!isUuid(id)) return null;
  const rows = (await m.query('SELECT * FROM layers WHERE id = $1', [id])) as Record<string, unknown>[];
  return hydrate(m, LayerEntity, rows)[0] ?? null;
}

/**
 * Takes a client-chosen id for a layer this transaction inserts; false when a layer has it or ever
 * had it (used_layer_ids). A concurrent claim of the same id waits for this transaction to end.
 */
export async function claimLayerId(m: EntityManager, id: string): Promise<boolean> {
  const rows: unknown[] = await m.query(`INSERT INTO used_layer_ids (id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id`, [id]);
  return rows.length === 1;
}

/** Opens a gap at `order` (everything from there moves up one) and inserts the layer into it. */
export async function insertLayerAt(m: EntityManager, layer: LayerEntity): Promise<void> {
  await m.query(`UPDATE layers SET position = position + 1 WHERE design_id = $1 AND position >= $2`, [layer.designId, layer.order]);
  await m.insert(LayerEntity, asRow(layer));
}

/** Removes the layer and closes the gap it leaves. */
export async function deleteLayer(m: EntityManager, layer: LayerEntity): Promise<void> {
  await m.delete(LayerEntity, { id: layer.id });
  await m.query(`UPDATE layers SET position = position - 1 WHERE design_id = $1 AND position > $2`, [layer.designId, layer.order]);
}

/** Gives the design's layers the positions of `orderedIds` (a permutation of its stack). */
export async function setStackOrder(m: EntityManager, designId: string, orderedIds: string[], at: Date): Promise<void> {
  await m.query(
    `UPDATE layers l SET position = s.ordinality - 1, updated_at = $3
     FROM unnest($2::uuid[]) WITH ORDINALITY AS s(id, ordinality)
     WHERE l.design_id = $1 AND l.id = s.id AND l.position <> s.ordinality - 1`,
    [designId, orderedIds, at],
  );
}

const SAVE_LAYER_PROPERTIES = prepared(
  `UPDATE layers SET name = $2, transform = $3::jsonb, customization = $4::jsonb, visible = $5, locked = $6, blend_mode = $7,
     opacity = $8, notes = $9, updated_at = $10 WHERE id = $1`,
);

/** Writes the layer's properties that `updateLayer` changes (all of them: a row is rewritten whole anyway) and `updatedAt`. */
export function layerPropertiesWrite(layer: LayerEntity): PendingWrite {
  return {
    text: SAVE_LAYER_PROPERTIES,
    params: [
      layer.id,
      layer.name,
      JSON.stringify(layer.transform),
      JSON.stringify(layer.customization),
      layer.visible,
      layer.locked,
      layer.blendMode,
      layer.opacity,
      layer.notes,
      layer.updatedAt,
    ],
  };
}

export async function setLayersGroup(m: EntityManager, ids: string[], groupId: string | null, at: Date): Promise<void> {
  await m.update(LayerEntity, { id: In(ids) }, { groupId, updatedAt: at });
}

export async function countLayers(m: EntityManager, designId: string): Promise<number> {
  return m.countBy(LayerEntity, { designId });
}

/** How many of `ids` (distinct) are layers of the design. */
export async function countLayersOfDesign(m: EntityManager, designId: string, ids: readonly string[]): Promise<number> {
  const uuids = onlyUuids(ids);
  if (uuids.length === 0) return 0;
  return m.countBy(LayerEntity, { designId, id: In(uuids) });
}
