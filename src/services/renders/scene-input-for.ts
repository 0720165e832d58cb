import type { ServiceContext } from '../../context';
import type { CatalogItem } from '../../upstream/subgraphs';
import { REFERENCE_HEIGHT, type SceneInput, type SceneItem, type SceneSettings, type SceneSources } from '../../render/scene-input';
import type { DesignState } from '../../domain/design-state';

/**
 * A server render fetches an IMAGE background itself, so the URL, which any editor can set, must
 * not point it at internal services: only the configured origins are fetched.
 */
function fetchableBackground(ctx: ServiceContext, state: DesignState): string | null {
  const { type, value } = state.canvas.background;
  if (type !== 'IMAGE') return null;
  try {
    return ctx.config.renderImageOrigins.includes(new URL(value).origin) ? value : null;
  } catch {
    return null;
  }
}

export async function sceneInputFor(ctx: ServiceContext, state: DesignState, settings: SceneSettings): Promise<SceneInput> {
  return { state, settings, ...(await sceneSourcesFor(ctx, state)) };
}

/** The catalog items a state uses: its layers' items and their materials, each once. */
export function catalogItemIds(state: DesignState): string[] {
  return [...new Set(state.layers.flatMap((l) => [l.catalogItemId, l.customization.materialItemId].filter((id): id is string => !!id)))];
}

export async function sceneSourcesFor(ctx: ServiceContext, state: DesignState): Promise<SceneSources> {
  const ids = catalogItemIds(state);
  const [avatar, items] = await Promise.all([
    state.design.avatarId ? ctx.upstream.avatars.load(state.design.avatarId) : null,
    Promise.all(ids.map((id) => ctx.upstream.catalog.load(id))),
  ]);
  const found = items.filter((i): i is CatalogItem => i !== null);
  return {
    backgroundImageUrl: fetchableBackground(ctx, state),
    avatar: avatar ? { modelUrl: avatar.modelUrl, height: avatar.height, itemScale: avatar.height / REFERENCE_HEIGHT } : null,
    items: Object.fromEntries(
      found.map((i) => [
        i.id,
        { id: i.id, type: i.type, modelUrl: i.modelUrl, textureUrl: i.textureUrl, defaultColor: i.defaultColor } satisfies SceneItem,
      ]),
    ),
  };
}
