import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import type { ServiceContext } from '../../context';
import { DesignEventType, layerJson, toJson } from '../../events/design-event';
import { deleteEmptyGroups } from '../../repositories/layer-group.repository';
import { deleteLayer } from '../../repositories/layer.repository';
import { recordChange } from '../changes/change';
import { assertUnlocked, openLayerChange } from './open-layer-change';

export async function removeLayer(tx: ServiceContext, props: { layerId: string; expectedRevision?: number | null }): Promise<DesignEntity> {
  const { design, layer } = await openLayerChange(tx, props.layerId, props.expectedRevision);
  assertUnlocked(layer);
  await deleteLayer(tx.manager, layer);
  const removedGroups = await deleteEmptyGroups(tx.manager, design.id);
  await recordChange(tx, design, {
    action: HistoryAction.LAYER_REMOVED,
    data: { layer: layerJson(layer), removedGroups: toJson(removedGroups) },
    event: { type: DesignEventType.LAYER_REMOVED, layerId: layer.id },
  });
  return design;
}
