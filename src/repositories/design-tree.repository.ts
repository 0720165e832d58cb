import type { EntityManager } from 'typeorm';
import { CanvasSettingsEntity } from '../../entities/canvas-settings.entity';
import { CollaboratorEntity } from '../../entities/collaborator.entity';
import { DesignEntity } from '../../entities/design.entity';
import type { CollaboratorRole } from '../../entities/enums';
import { LayerGroupEntity } from '../../entities/layer-group.entity';
import { LayerEntity } from '../../entities/layer.entity';
import type { DesignWithRole } from './design.repository';
import { prepared } from '../db/prepared-statements';
import { hydrate } from './hydrate';
import { onlyUuids } from './uuid';

export interface DesignTree {
  design: DesignWithRole;
  layers: LayerEntity[];
  groups: LayerGroupEntity[];
  canvas: CanvasSettingsEntity | null;
  collaborators: CollaboratorEntity[];
}

type Row = {
  design_row: Record<string, unknown>;
  viewer_role: CollaboratorRole | null;
  tree_layers: Record<string, unknown>[];
  tree_groups: Record<string, unknown>[];
  tree_canvas: Record<string, unknown> | null;
  tree_collaborators: Record<string, unknown>[];
};

const DESIGN_TREES = prepared(
  `SELECT row_to_json(d) AS design_row, c.role AS viewer_role,
     (SELECT coalesce(json_agg(l ORDER BY l.position), '[]') FROM layers l WHERE l.design_id = d.id) AS tree_layers,
     (SELECT coalesce(json_agg(g ORDER BY g.created_at, g.id), '[]') FROM layer_groups g WHERE g.design_id = d.id) AS tree_groups,
     (SELECT row_to_json(s) FROM canvas_settings s WHERE s.design_id = d.id) AS tree_canvas,
     (SELECT coalesce(json_agg(k ORDER BY k.added_at, k.user_id), '[]') FROM collaborators k WHERE k.design_id = d.id) AS tree_collaborators
   FROM designs d
   LEFT JOIN collaborators c ON c.design_id = d.id AND c.user_id = $2
   WHERE d.id = ANY($1::uuid[]) AND d.deleted_at IS NULL`,
);

/**
 * Designs (not deleted) with the caller's role and everything a studio shows of them (layers in
 * order, groups, canvas, collaborators) in one statement, in the orders of the per-table reads.
 */
export async function findDesignTrees(m: EntityManager, ids: readonly string[], userId: string | null): Promise<DesignTree[]> {
  const uuids = onlyUuids(ids);
  if (uuids.length === 0) return [];
  const rows: Row[] = await m.query(DESIGN_TREES, [uuids, userId]);
  return rows.map((row) => ({
    design: Object.assign(hydrate(m, DesignEntity, [row.design_row])[0]!, { viewerRole: row.viewer_role }),
    layers: hydrate(m, LayerEntity, row.tree_layers),
    groups: hydrate(m, LayerGroupEntity, row.tree_groups),
    canvas: row.tree_canvas ? hydrate(m, CanvasSettingsEntity, [row.tree_canvas])[0]! : null,
    collaborators: hydrate(m, CollaboratorEntity, row.tree_collaborators),
  }));
}
