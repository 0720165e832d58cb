import { In, type EntityManager } from 'typeorm';
import { LayerGroupEntity } from '../../entities/layer-group.entity';
import { onlyUuids } from './uuid';

export async function findGroupsByDesignIds(m: EntityManager, designIds: readonly string[]): Promise<LayerGroupEntity[]> {
  if (designIds.length === 0) return [];
  return m.find(LayerGroupEntity, { where: { designId: In([...designIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
}

export async function findGroupsByIds(m: EntityManager, ids: readonly string[]): Promise<LayerGroupEntity[]> {
  const uuids = onlyUuids(ids);
  if (uuids.length === 0) return [];
  return m.findBy(LayerGroupEntity, { id: In(uuids) });
}

export async function insertGroup(m: EntityManager, group: LayerGroupEntity): Promise<void> {
  await m.insert(LayerGroupEntity, group);
}

export async function deleteGroup(m: EntityManager, id: string): Promise<void> {
  await m.delete(LayerGroupEntity, { id });
}

/** Groups left without layers disappear: a group is a set of layers, not a thing of its own. */
export async function deleteEmptyGroups(m: EntityManager, designId: string): Promise<LayerGroupEntity[]> {
  const empty = await m
    .createQueryBuilder(LayerGroupEntity, 'g')
    .where('g.design_id = :designId', { designId })
    .andWhere('NOT EXISTS (SELECT 1 FROM layers l WHERE l.group_id = g.id)')
    .getMany();
  if (empty.length) await m.delete(LayerGroupEntity, { id: In(empty.map((g) => g.id)) });
  return empty;
}
