import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import type { ServiceContext } from '../../context';
import { DesignEventType } from '../../events/design-event';
import { badInput } from '../../errors/design-error';
import { findStack, setStackOrder } from '../../repositories/layer.repository';
import { Permission } from '../../domain/permissions';
import { openChange, recordChange } from '../changes/change';
import { assertUnlocked, openLayerChange } from './open-layer-change';

/** Applies a new bottom-to-top order; the same order again changes nothing. */
async function applyOrder(tx: ServiceContext, design: DesignEntity, before: string[], after: string[]): Promise<DesignEntity> {
  if (before.every((id, i) => id === after[i])) return design;
  const now = new Date();
  await setStackOrder(tx.manager, design.id, after, now);
  await recordChange(tx, design, {
    action: HistoryAction.LAYERS_REORDERED,
    data: { before, after },
    event: { type: DesignEventType.LAYERS_REORDERED, layerIds: after },
    at: now,
  });
  return design;
}

/** `layerIds` must name every layer of the design exactly once, bottom to top. */
export async function reorderLayers(
  tx: ServiceContext,
  props: { designId: string; layerIds: string[]; expectedRevision?: number | null },
): Promise<DesignEntity> {
  const design = await openChange(tx, props.designId, Permission.Edit, props.expectedRevision);
  const before = (await findStack(tx.manager, design.id)).map((l) => l.id);
  const current = new Set(before);
  const given = new Set(props.layerIds);
  if (given.size !== props.layerIds.length || given.size !== current.size || ![...given].every((id) => current.has(id))) {
    throw badInput('layerIds', `must list each of the design's ${current.size} layers exactly once`);
  }
  return applyOrder(tx, design, before, props.layerIds);
}

export async function moveLayer(
  tx: ServiceContext,
  props: { layerId: string; toOrder: number; expectedRevision?: number | null },
): Promise<DesignEntity> {
  const { design, layer } = await openLayerChange(tx, props.layerId, props.expectedRevision);
  assertUnlocked(layer);
  const before = (await findStack(tx.manager, design.id)).map((l) => l.id);
  if (props.toOrder < 0 || props.toOrder >= before.length) {
    throw badInput('toOrder', `must be from 0 to ${before.length - 1}`);
  }
  const after = before.filter((id) => id !== layer.id);
  after.splice(props.toOrder, 0, layer.id);
  return applyOrder(tx, design, before, after);
}
