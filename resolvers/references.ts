import type { ServiceContext } from '../src/context';

/**
 * `__resolveReference` of the entities this subgraph owns or contributes to. A design, layer,
 * export or comment the caller may not read resolves to null, as `design(id)` does.
 */
export const referenceResolvers = {
  Design: {
    __resolveReference: (ref: { id: string }, ctx: ServiceContext) => ctx.loaders.readableDesign.load(ref.id),
  },
  Layer: {
    async __resolveReference(ref: { id: string }, ctx: ServiceContext) {
      const layer = await ctx.loaders.layer.load(ref.id);
      return layer && (await ctx.loaders.readableDesign.load(layer.designId)) ? layer : null;
    },
  },
  Export: {
    __resolveReference: (ref: { id: string }, ctx: ServiceContext) => ctx.loaders.readableExport.load(ref.id),
  },
  Comment: {
    __resolveReference: (ref: { id: string }, ctx: ServiceContext) => ctx.loaders.readableComment.load(ref.id),
  },
  User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
  Avatar: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
};
