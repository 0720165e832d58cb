import type { ServiceContext } from '../../context';
import type { DesignState } from '../../domain/design-state';
import type { ExportSources } from '../../render/scene-input';
import { catalogItemIds, sceneSourcesFor } from '../renders/scene-input-for';

/** The avatar and catalog data an export of `state` needs, read once (the catalog reads share the request's loader). */
export async function exportSourcesFor(ctx: ServiceContext, state: DesignState): Promise<ExportSources> {
  const scene = await sceneSourcesFor(ctx, state);
  const items = await Promise.all(catalogItemIds(state).map((id) => ctx.upstream.catalog.load(id)));
  return { scene, itemNames: Object.fromEntries(items.flatMap((item) => (item ? [[item.id, item.name]] : []))) };
}
