import type { LayerState, SceneInput, SceneItem } from './scene-api.js';
import type { CatalogItemView, DesignView, LayerView } from './types.js';

/** The height catalog models are made for (src/render/scene-input.ts REFERENCE_HEIGHT). */
const REFERENCE_HEIGHT = 1.7;

const sceneItem = (item: CatalogItemView): SceneItem => ({
  id: item.id,
  type: item.type,
  modelUrl: item.modelUrl,
  textureUrl: item.textureUrl,
  defaultColor: item.defaultColor,
});

function layerState(layer: LayerView): LayerState {
  const { material, ...customization } = layer.customization;
  return {
    id: layer.id,
    type: layer.type,
    name: layer.name,
    order: layer.order,
    catalogItemId: layer.catalogItem.id,
    transform: layer.transform,
    customization: { ...customization, materialItemId: material?.id ?? null },
    visible: layer.visible,
    locked: layer.locked,
    blendMode: layer.blendMode,
    opacity: layer.opacity,
    notes: layer.notes,
    groupId: layer.group?.id ?? null,
  };
}

/**
 * The scene builder's input from the design as read through the gateway: the design state the
 * server renders start from, with the avatar and catalog items the gateway brought from their
 * subgraphs. An IMAGE background is drawn only from origins the studio server proxies.
 */
export function sceneInputOf(design: DesignView, size: { width: number; height: number }, imageOrigins: string[]): SceneInput {
  const items: Record<string, SceneItem> = {};
  for (const layer of design.layers) {
    items[layer.catalogItem.id] = sceneItem(layer.catalogItem);
    if (layer.customization.material) items[layer.customization.material.id] = sceneItem(layer.customization.material);
  }
  const background = design.canvas.background;
  const imageUrl =
    background.type === 'IMAGE' && imageOrigins.some((origin) => background.value.startsWith(`${origin}/`)) ? background.value : null;
  return {
    state: {
      revision: design.revision,
      design: {
        name: design.name,
        description: design.description,
        avatarId: design.avatar?.id ?? null,
        category: design.category,
        tags: design.tags,
        occasions: design.occasions,
        seasons: design.seasons,
      },
      layers: [...design.layers].sort((a, b) => a.order - b.order).map(layerState),
      layerGroups: design.layerGroups.map(({ id, name, visible, locked }) => ({ id, name, visible, locked })),
      canvas: design.canvas,
    },
    backgroundImageUrl: imageUrl,
    avatar: design.avatar
      ? { modelUrl: design.avatar.modelUrl, height: design.avatar.height, itemScale: design.avatar.height / REFERENCE_HEIGHT }
      : null,
    items,
    settings: { ...size, transparentBackground: false },
  };
}
