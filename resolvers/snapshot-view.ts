import type { DesignState } from '../src/domain/design-state';

/**
 * A stored state as the GraphQL DesignSnapshot: layers and groups carry their snapshot partners
 * (`snapshotGroup`, `snapshotLayers`) so that Layer.group and LayerGroup.layers answer from the
 * snapshot, not from today's rows.
 */
export function snapshotView(designId: string, state: DesignState, at: Date) {
  const groups = state.layerGroups.map((g) => ({ ...g, designId, createdAt: at, snapshotLayers: [] as unknown[] }));
  const layers = state.layers.map((l) => ({
    ...l,
    designId,
    createdAt: at,
    updatedAt: at,
    snapshotGroup: groups.find((g) => g.id === l.groupId) ?? null,
  }));
  for (const group of groups) group.snapshotLayers = layers.filter((l) => l.groupId === group.id);
  return {
    revision: state.revision,
    name: state.design.name,
    avatarId: state.design.avatarId,
    layers,
    layerGroups: groups,
    canvas: { ...state.canvas, designId },
  };
}

export const fromSnapshot = <K extends string>(value: object, key: K): value is Record<K, unknown> => key in value;
