import type { DesignEntity } from '../../../entities/design.entity';
import type { ServiceContext } from '../../context';
import { badInput, DesignError, ErrorCode } from '../../errors/design-error';
import type { CatalogItem } from '../../upstream/subgraphs';

const unavailable = (itemId: string, reason: string) =>
  new DesignError(ErrorCode.CatalogItemUnavailable, `Catalog item ${itemId} ${reason}`, { catalogItemId: itemId });

/** The item exists, is available, and fits the body type of the design's avatar. */
export async function checkCatalogItem(tx: ServiceContext, design: DesignEntity, itemId: string): Promise<CatalogItem> {
  const item = await tx.upstream.catalog.load(itemId);
  if (!item) throw unavailable(itemId, 'does not exist');
  if (!item.available) throw unavailable(itemId, 'is not available');
  if (design.avatarId && item.compatibleBodyTypes.length > 0) {
    const avatar = await tx.upstream.avatars.load(design.avatarId);
    if (avatar && !item.compatibleBodyTypes.includes(avatar.bodyType)) {
      throw new DesignError(ErrorCode.IncompatibleItem, `Catalog item ${itemId} does not fit the avatar's body type ${avatar.bodyType}`, {
        catalogItemId: itemId,
        bodyType: avatar.bodyType,
      });
    }
  }
  return item;
}

/** A material is an available FABRIC or PATTERN item. */
export async function checkMaterial(tx: ServiceContext, itemId: string): Promise<void> {
  const item = await tx.upstream.catalog.load(itemId);
  if (!item) throw unavailable(itemId, 'does not exist');
  if (item.type !== 'FABRIC' && item.type !== 'PATTERN') {
    throw badInput('customization.materialItemId', `must be a FABRIC or PATTERN item, not ${item.type}`);
  }
  if (!item.available) throw unavailable(itemId, 'is not available');
}

/**
 * Reads the catalog items a layer change will check, and the design's avatar, into the request's
 * loaders before the transaction takes the design's row lock: the checks inside then answer from
 * memory, and the lock is never held while the catalog or avatar subgraph answers.
 */
export async function preloadCatalogChecks(
  ctx: ServiceContext,
  props: { designId?: string; itemIds: (string | null | undefined)[] },
): Promise<void> {
  const design = props.designId ? await ctx.loaders.readableDesign.load(props.designId) : null;
  await Promise.all([
    ...props.itemIds.filter((id): id is string => !!id).map((id) => ctx.upstream.catalog.load(id)),
    design?.avatarId ? ctx.upstream.avatars.load(design.avatarId) : null,
  ]);
}
