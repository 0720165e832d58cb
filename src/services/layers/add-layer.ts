import { randomUUID } from 'node:crypto';
import { BlendMode, HistoryAction, LayerType } from '../../../entities/enums';
import type { LayerEntity } from '../../../entities/layer.entity';
import { inTransaction, type ServiceContext } from '../../context';
import { DesignEventType, layerJson } from '../../events/design-event';
import { badInput, idTaken } from '../../errors/design-error';
import { claimLayerId, findLayerById, insertLayerAt } from '../../repositories/layer.repository';
import { Permission } from '../../domain/permissions';
import { canonicalHash } from '../changes/canonical-hash';
import { assertRevision, openChange, recordChange } from '../changes/change';
import { checkCatalogItem, checkMaterial, preloadCatalogChecks } from './check-catalog-item';
import {
  DEFAULT_CUSTOMIZATION,
  IDENTITY_TRANSFORM,
  mergeCustomization,
  mergeTransform,
  type CustomizationPatch,
  type TransformPatch,
} from './layer-values';
import { assertLayerRoom } from './open-layer-change';

export interface AddLayerProps {
  designId: string;
  expectedRevision?: number | null;
  id?: string;
  catalogItemId: string;
  name?: string | null;
  order?: number | null;
  transform?: TransformPatch | null;
  customization?: CustomizationPatch | null;
  blendMode?: BlendMode | null;
  opacity?: number | null;
  notes?: string | null;
}

/** Prepared outside the transaction (preloadCatalogChecks), so the design's row lock never waits on the catalog. */
export async function addLayer(ctx: ServiceContext, props: AddLayerProps): Promise<LayerEntity> {
  await preloadCatalogChecks(ctx, { designId: props.designId, itemIds: [props.catalogItemId, props.customization?.materialItemId] });
  return inTransaction(ctx, (tx) => insertLayer(tx, props));
}

async function insertLayer(tx: ServiceContext, props: AddLayerProps): Promise<LayerEntity> {
  const { designId, expectedRevision, id: clientId, ...input } = props;
  const hash = canonicalHash(input);
  const design = await openChange(tx, designId, Permission.Edit);
  if (clientId) {
    // A retry comes after its first attempt committed, so it is answered before the revision check.
    const existing = await findLayerById(tx.manager, clientId);
    if (existing?.designId === designId && existing.creationHash === hash) return existing;
    if (!(await claimLayerId(tx.manager, clientId))) throw idTaken();
  }
  assertRevision(design, expectedRevision);
  const count = await assertLayerRoom(tx, design);
  const order = input.order ?? count;
  if (order < 0 || order > count) throw badInput('order', `must be from 0 to ${count}`);

  const item = await checkCatalogItem(tx, design, input.catalogItemId);
  if (input.customization?.materialItemId) await checkMaterial(tx, input.customization.materialItemId);

  const now = new Date();
  const layer: LayerEntity = {
    id: clientId ?? randomUUID(),
    designId,
    groupId: null,
    type: item.type as LayerType,
    name: input.name ?? null,
    order,
    catalogItemId: item.id,
    transform: mergeTransform(IDENTITY_TRANSFORM, input.transform),
    customization: mergeCustomization(DEFAULT_CUSTOMIZATION, input.customization),
    visible: true,
    locked: false,
    blendMode: input.blendMode ?? BlendMode.NORMAL,
    opacity: input.opacity ?? 100,
    notes: input.notes ?? null,
    creationHash: hash,
    createdAt: now,
    updatedAt: now,
  };
  await insertLayerAt(tx.manager, layer);
  await recordChange(tx, design, {
    action: HistoryAction.LAYER_ADDED,
    data: { layer: layerJson(layer) },
    event: { type: DesignEventType.LAYER_ADDED, layer: layerJson(layer) },
    at: now,
  });
  return layer;
}
