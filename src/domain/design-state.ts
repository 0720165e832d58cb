import type { CanvasSettingsEntity } from '../../entities/canvas-settings.entity';
import type { DesignEntity } from '../../entities/design.entity';
import type { LayerGroupEntity } from '../../entities/layer-group.entity';
import type { LayerEntity } from '../../entities/layer.entity';

/**
 * The full state of a design at one revision, as plain JSON: what snapshots, autosaves, restores,
 * forks, diffs, renders and exports start from. Timestamps and bookkeeping stay out, so two states
 * differ only where the design does.
 */
export interface DesignState {
  revision: number;
  design: {
    name: string;
    description: string | null;
    avatarId: string | null;
    category: string | null;
    tags: string[];
    occasions: string[];
    seasons: string[];
  };
  /** Bottom to top. */
  layers: LayerState[];
  layerGroups: GroupState[];
  canvas: Omit<CanvasSettingsEntity, 'designId'>;
}

export type LayerState = Omit<LayerEntity, 'designId' | 'creationHash' | 'createdAt' | 'updatedAt'>;
export type GroupState = Omit<LayerGroupEntity, 'designId' | 'createdAt'>;

export function layerState(layer: LayerEntity): LayerState {
  const { designId: _d, creationHash: _h, createdAt: _c, updatedAt: _u, ...state } = layer;
  return state;
}

export function stateOf(
  design: DesignEntity,
  layers: LayerEntity[],
  groups: LayerGroupEntity[],
  canvas: CanvasSettingsEntity,
): DesignState {
  const { designId: _d, ...canvasState } = canvas;
  return {
    revision: design.revision,
    design: {
      name: design.name,
      description: design.description,
      avatarId: design.avatarId,
      category: design.category,
      tags: design.tags,
      occasions: design.occasions,
      seasons: design.seasons,
    },
    layers: layers.map(layerState),
    layerGroups: groups.map(({ designId: _g, createdAt: _c, ...group }) => group),
    canvas: canvasState,
  };
}
