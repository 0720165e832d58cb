import type { DesignEntity } from '../../../entities/design.entity';
import type { LayerEntity } from '../../../entities/layer.entity';
import type { Tier } from '../../domain/tier';
import { requireViewer, type ServiceContext } from '../../context';
import { DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { lockLayerWithDesign } from '../../repositories/design.repository';
import { countLayers } from '../../repositories/layer.repository';
import { Permission } from '../../domain/permissions';
import { openLockedChange } from '../changes/change';
import { judgeAccess } from '../access/require-access';

/**
 * The design of each layer changed lately in this process, for the writer's turn (`takeTurn`), which
 * is taken before anything is read: a layer never moves to another design. The first change of a
 * layer here goes without a turn.
 */
const designOfLayer = new Map<string, string>();
const REMEMBERED_LAYERS = 10_000;

function rememberDesignOfLayer(layerId: string, designId: string): void {
  if (designOfLayer.has(layerId)) return;
  if (designOfLayer.size >= REMEMBERED_LAYERS) designOfLayer.delete(designOfLayer.keys().next().value!);
  designOfLayer.set(layerId, designId);
}

/** `openChange` for a change addressed by layer id: the layer, its design and the caller's role read and locked at once. */
export async function openLayerChange(
  tx: ServiceContext,
  layerId: string,
  expectedRevision?: number | null,
): Promise<{ design: DesignEntity; layer: LayerEntity }> {
  const viewer = requireViewer(tx);
  const known = designOfLayer.get(layerId);
  if (known) await tx.takeTurn(known);
  const found = await lockLayerWithDesign(tx.manager, layerId, viewer.userId);
  if (!found) throw notFound('Layer');
  rememberDesignOfLayer(layerId, found.design.id);
  const design = await openLockedChange(tx, judgeAccess(tx, Permission.Edit, found.design), expectedRevision);
  return { design, layer: found.layer };
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
