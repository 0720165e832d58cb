import { randomUUID } from 'node:crypto';
import { HistoryAction } from '../../../entities/enums';
import type { LayerEntity } from '../../../entities/layer.entity';
import type { ServiceContext } from '../../context';
import { DesignEventType, layerJson } from '../../events/design-event';
import { insertLayerAt } from '../../repositories/layer.repository';
import { canonicalHash } from '../changes/canonical-hash';
import { recordChange } from '../changes/change';
import { assertLayerRoom, openLayerChange } from './open-layer-change';

/** An exact copy, placed just above the source, in the same group. */
export async function duplicateLayer(
  tx: ServiceContext,
  props: { layerId: string; expectedRevision?: number | null },
): Promise<LayerEntity> {
  const { design, layer: source } = await openLayerChange(tx, props.layerId, props.expectedRevision);
  await assertLayerRoom(tx, design);
  const now = new Date();
  const copy: LayerEntity = {
    ...source,
    id: randomUUID(),
    order: source.order + 1,
    creationHash: canonicalHash({ duplicateOf: source.id, at: now.toISOString() }),
    createdAt: now,
    updatedAt: now,
  };
  await insertLayerAt(tx.manager, copy);
  await recordChange(tx, design, {
    action: HistoryAction.LAYER_DUPLICATED,
    data: { sourceLayerId: source.id, layer: layerJson(copy) },
    event: { type: DesignEventType.LAYER_ADDED, layer: layerJson(copy) },
    at: now,
  });
  return copy;
}
