import type { DesignEntity } from '../../../entities/design.entity';
import type { LayerEntity } from '../../../entities/layer.entity';
import type { Tier } from '../../domain/tier';
import { requireViewer, type ServiceContext } from '../../context';
import { DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { lockDesignOfLayer } from '../../repositories/design.repository';
import { countLayers, findLayerById } from '../../repositories/layer.repository';
import { Permission } from '../../domain/permissions';
import { openChange } from '../changes/change';

/** `openChange` for a change addressed by layer id: its design found and locked at once, then the layer read under the lock. */
export async function openLayerChange(
  tx: ServiceContext,
  layerId: string,
  expectedRevision?: number | null,
): Promise<{ design: DesignEntity; layer: LayerEntity }> {
  requireViewer(tx);
  const designId = await lockDesignOfLayer(tx.manager, layerId);
  if (!designId) throw notFound('Layer');
  const design = await openChange(tx, designId, Permission.Edit, expectedRevision, { locked: true });
  const layer = await findLayerById(tx.manager, layerId);
  if (!layer) throw notFound('Layer');
  return { design, layer };
}

export function assertUnlocked(layer: LayerEntity): void {
  if (layer.locked) {
    throw new DesignError(ErrorCode.LayerLocked, 'The layer is locked; unlock it first', { layerId: layer.id });
  }
}

/** The owner's tier caps a design's layers, whoever edits it (the editor's, until the owner's is known). */
export const layerLimitTier = (tx: ServiceContext, design: DesignEntity): Tier => design.ownerTier ?? tx.viewer!.tier;

export function assertLayerLimit(tx: ServiceContext, tier: Tier, layerCount: number): void {
  const limit = tx.config.limits[tier].layersPerDesign;
  if (layerCount > limit) {
    throw new DesignError(ErrorCode.LimitExceeded, `The ${tier} tier allows ${limit} layers per design`, { limit, tier });
  }
}

export async function assertLayerRoom(tx: ServiceContext, design: DesignEntity, adding = 1): Promise<number> {
  const count = await countLayers(tx.manager, design.id);
  assertLayerLimit(tx, layerLimitTier(tx, design), count + adding);
  return count;
}
