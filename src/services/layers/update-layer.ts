import { HistoryAction, type BlendMode } from '../../../entities/enums';
import type { LayerEntity } from '../../../entities/layer.entity';
import { inTransaction, type ServiceContext } from '../../context';
import { DesignEventType, layerJson } from '../../events/design-event';
import { layerPropertiesWrite } from '../../repositories/layer.repository';
import { recordChange } from '../changes/change';
import { fieldDiff } from '../changes/field-diff';
import { checkMaterial, preloadCatalogChecks } from './check-catalog-item';
import { mergeCustomization, mergeTransform, type CustomizationPatch, type TransformPatch } from './layer-values';
import { assertUnlocked, openLayerChange } from './open-layer-change';

export interface UpdateLayerProps {
  layerId: string;
  expectedRevision?: number | null;
  name?: string | null;
  transform?: TransformPatch | null;
  customization?: CustomizationPatch | null;
  visible?: boolean | null;
  locked?: boolean | null;
  blendMode?: BlendMode | null;
  opacity?: number | null;
  notes?: string | null;
}

/** A locked layer accepts nothing but being unlocked (LAYER_LOCKED otherwise). */
/** Prepared outside the transaction (preloadCatalogChecks), so the design's row lock never waits on the catalog. */
export async function updateLayer(ctx: ServiceContext, props: UpdateLayerProps): Promise<LayerEntity> {
  await preloadCatalogChecks(ctx, { itemIds: [props.customization?.materialItemId] });
  return inTransaction(ctx, (tx) => changeLayer(tx, props));
}

async function changeLayer(tx: ServiceContext, props: UpdateLayerProps): Promise<LayerEntity> {
  const { layerId, expectedRevision, ...input } = props;
  const { design, layer } = await openLayerChange(tx, layerId, expectedRevision);
  const next: Partial<LayerEntity> = {
    name: input.name,
    transform: input.transform ? mergeTransform(layer.transform, input.transform) : undefined,
    customization: input.customization ? mergeCustomization(layer.customization, input.customization) : undefined,
    visible: input.visible ?? undefined,
    locked: input.locked ?? undefined,
    blendMode: input.blendMode ?? undefined,
    opacity: input.opacity ?? undefined,
    notes: input.notes,
  };
  const { before, after, changed } = fieldDiff(layer, next);
  if (layer.locked && changed.some((field) => field !== 'locked')) assertUnlocked(layer);
  if (changed.length === 0) return layer;
  const material = after.customization?.materialItemId;
  if (material && material !== layer.customization.materialItemId) await checkMaterial(tx, material);

  const now = new Date();
  Object.assign(layer, after, { updatedAt: now });
  await recordChange(tx, design, {
    along: layerPropertiesWrite(layer),
    action: HistoryAction.LAYER_UPDATED,
    data: { layerId: layer.id, before, after },
    event: { type: DesignEventType.LAYER_UPDATED, layer: layerJson(layer) },
    at: now,
  });
  return layer;
}
