import type { DesignEntity } from '../../../entities/design.entity';
import type { DesignCategory } from '../../../entities/enums';
import { LayerEntity } from '../../../entities/layer.entity';
import { LayerGroupEntity } from '../../../entities/layer-group.entity';
import type { ServiceContext } from '../../context';
import { saveCanvas } from '../../repositories/canvas.repository';
import { updateDesignFields } from '../../repositories/design.repository';
import { canonicalHash } from '../changes/canonical-hash';
import type { DesignState } from '../../domain/design-state';

/**
 * Makes `state` the design's content (fields, layers, groups, canvas), keeping the ids it names.
 * Call with the design locked; the caller records the change.
 */
export async function applyDesignState(tx: ServiceContext, design: DesignEntity, state: DesignState): Promise<void> {
  const now = new Date();
  const fields = { ...state.design, category: state.design.category as DesignCategory | null };
  await updateDesignFields(tx.manager, design.id, fields);
  Object.assign(design, fields);
  await tx.manager.delete(LayerEntity, { designId: design.id });
  await tx.manager.delete(LayerGroupEntity, { designId: design.id });
  if (state.layerGroups.length) {
    await tx.manager.insert(
      LayerGroupEntity,
      state.layerGroups.map((g) => ({ ...g, designId: design.id, createdAt: now })),
    );
  }
  if (state.layers.length) {
    await tx.manager.query(
      `INSERT INTO layers (id, design_id, group_id, type, name, position, catalog_item_id, transform, customization, visible, locked, blend_mode, opacity, notes, creation_hash, created_at, updated_at)
       SELECT l.id, $1, l."groupId", l.type, l.name, l."order", l."catalogItemId", l.transform, l.customization, l.visible, l.locked, l."blendMode", l.opacity, l.notes, $2, $3, $3
       FROM jsonb_to_recordset($4::jsonb) AS l(id uuid, "groupId" uuid, type text, name text, "order" int, "catalogItemId" text, transform jsonb, customization jsonb, visible boolean, locked boolean, "blendMode" text, opacity smallint, notes text)`,
      [design.id, canonicalHash({ restoredAt: now.toISOString() }), now, JSON.stringify(state.layers)],
    );
  }
  await saveCanvas(tx.manager, { ...state.canvas, designId: design.id });
}
