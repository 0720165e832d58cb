import { randomUUID } from 'node:crypto';
import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import type { LayerGroupEntity } from '../../../entities/layer-group.entity';
import type { ServiceContext } from '../../context';
import { DesignEventType, toJson } from '../../events/design-event';
import { badInput, notFound } from '../../errors/design-error';
import { deleteEmptyGroups, deleteGroup, findGroupsByIds, insertGroup } from '../../repositories/layer-group.repository';
import { findStack, setLayersGroup } from '../../repositories/layer.repository';
import { Permission } from '../../domain/permissions';
import { openChange, recordChange } from '../changes/change';

/** Puts the layers into a new group; a layer leaves the group it was in, and groups left empty go. */
export async function groupLayers(
  tx: ServiceContext,
  props: { designId: string; layerIds: string[]; name?: string | null; expectedRevision?: number | null },
): Promise<LayerGroupEntity> {
  const design = await openChange(tx, props.designId, Permission.Edit, props.expectedRevision);
  const stack = await findStack(tx.manager, design.id);
  const byId = new Map(stack.map((l) => [l.id, l]));
  if (props.layerIds.length === 0 || new Set(props.layerIds).size !== props.layerIds.length) {
    throw badInput('layerIds', 'must list at least one layer, each once');
  }
  const missing = props.layerIds.find((id) => !byId.has(id));
  if (missing) throw badInput('layerIds', `layer ${missing} is not in this design`);

  const now = new Date();
  const group: LayerGroupEntity = {
    id: randomUUID(),
    designId: design.id,
    name: props.name ?? null,
    visible: true,
    locked: false,
    createdAt: now,
  };
  const previousGroups = Object.fromEntries(props.layerIds.map((id) => [id, byId.get(id)!.groupId]));
  await insertGroup(tx.manager, group);
  await setLayersGroup(tx.manager, props.layerIds, group.id, now);
  const removedGroups = await deleteEmptyGroups(tx.manager, design.id);
  await recordChange(tx, design, {
    action: HistoryAction.LAYERS_GROUPED,
    data: { group: toJson(group), layerIds: props.layerIds, previousGroups, removedGroups: toJson(removedGroups) },
    event: { type: DesignEventType.LAYER_GROUPS_CHANGED },
    withDesign: true,
    at: now,
  });
  return group;
}

export async function ungroupLayers(
  tx: ServiceContext,
  props: { groupId: string; expectedRevision?: number | null },
): Promise<DesignEntity> {
  const [unlocked] = await findGroupsByIds(tx.manager, [props.groupId]);
  if (!unlocked) throw notFound('Layer group');
  const design = await openChange(tx, unlocked.designId, Permission.Edit, props.expectedRevision);
  const [group] = await findGroupsByIds(tx.manager, [props.groupId]);
  if (!group) throw notFound('Layer group');
  const layerIds = (await findStack(tx.manager, design.id)).filter((l) => l.groupId === group.id).map((l) => l.id);
  const now = new Date();
  if (layerIds.length) await setLayersGroup(tx.manager, layerIds, null, now);
  await deleteGroup(tx.manager, group.id);
  await recordChange(tx, design, {
    action: HistoryAction.LAYERS_UNGROUPED,
    data: { group: toJson(group), layerIds },
    event: { type: DesignEventType.LAYER_GROUPS_CHANGED },
    withDesign: true,
    at: now,
  });
  return design;
}
