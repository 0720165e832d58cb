import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { LayerGroupEntity } from '../entities/layer-group.entity';
import type { LayerEntity } from '../entities/layer.entity';
import { inTransaction, type ServiceContext } from '../src/context';
import { addLayer } from '../src/services/layers/add-layer';
import { duplicateLayer } from '../src/services/layers/duplicate-layer';
import { groupLayers, ungroupLayers } from '../src/services/layers/group-layers';
import { removeLayer } from '../src/services/layers/remove-layer';
import { moveLayer, reorderLayers } from '../src/services/layers/reorder-layers';
import { updateLayer } from '../src/services/layers/update-layer';
import { Design } from './types/design.type';
import { CatalogItem } from './types/federation.type';
import { AddLayerInput, Layer, LayerCustomization, LayerGroup, UpdateLayerInput } from './types/layer.type';
import { ExpectedRevisionArg } from './args';
import { GroupNameArgs } from './types/text-args.type';
import { fromSnapshot } from './snapshot-view';

@Resolver(() => Layer)
export class LayerResolver {
  @Mutation(() => Layer)
  async addLayer(
    @Arg('designId', () => ID) designId: string,
    @Arg('input', () => AddLayerInput) input: AddLayerInput,
    @Ctx() ctx: ServiceContext,
    @ExpectedRevisionArg() expectedRevision?: number,
  ) {
    return addLayer(ctx, { ...input, designId, expectedRevision });
  }

  @Mutation(() => Layer)
  async updateLayer(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateLayerInput) input: UpdateLayerInput,
    @Ctx() ctx: ServiceContext,
    @ExpectedRevisionArg() expectedRevision?: number,
  ) {
    return updateLayer(ctx, { ...input, layerId: id, expectedRevision });
  }

  @Mutation(() => Design)
  removeLayer(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext, @ExpectedRevisionArg() expectedRevision?: number) {
    return inTransaction(ctx, (tx) => removeLayer(tx, { layerId: id, expectedRevision }));
  }

  @Mutation(() => Layer)
  duplicateLayer(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext, @ExpectedRevisionArg() expectedRevision?: number) {
    return inTransaction(ctx, (tx) => duplicateLayer(tx, { layerId: id, expectedRevision }));
  }

  @Mutation(() => Design, { description: 'layerIds: every layer of the design exactly once, bottom to top.' })
  reorderLayers(
    @Arg('designId', () => ID) designId: string,
    @Arg('layerIds', () => [ID]) layerIds: string[],
    @Ctx() ctx: ServiceContext,
    @ExpectedRevisionArg() expectedRevision?: number,
  ) {
    return inTransaction(ctx, (tx) => reorderLayers(tx, { designId, layerIds, expectedRevision }));
  }

  @Mutation(() => Design)
  moveLayer(
    @Arg('id', () => ID) id: string,
    @Arg('toOrder', () => Int) toOrder: number,
    @Ctx() ctx: ServiceContext,
    @ExpectedRevisionArg() expectedRevision?: number,
  ) {
    return inTransaction(ctx, (tx) => moveLayer(tx, { layerId: id, toOrder, expectedRevision }));
  }

  @Mutation(() => LayerGroup)
  groupLayers(
    @Arg('designId', () => ID) designId: string,
    @Arg('layerIds', () => [ID]) layerIds: string[],
    @Ctx() ctx: ServiceContext,
    @Args(() => GroupNameArgs) { name }: GroupNameArgs,
    @ExpectedRevisionArg() expectedRevision?: number,
  ) {
    return inTransaction(ctx, (tx) => groupLayers(tx, { designId, layerIds, name, expectedRevision }));
  }

  @Mutation(() => Design)
  ungroupLayers(@Arg('groupId', () => ID) groupId: string, @Ctx() ctx: ServiceContext, @ExpectedRevisionArg() expectedRevision?: number) {
    return inTransaction(ctx, (tx) => ungroupLayers(tx, { groupId, expectedRevision }));
  }

  @FieldResolver(() => Design)
  design(@Root() layer: LayerEntity, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.readableDesign.load(layer.designId);
  }

  @FieldResolver(() => CatalogItem)
  catalogItem(@Root() layer: LayerEntity): CatalogItem {
    return { id: layer.catalogItemId };
  }

  @FieldResolver(() => LayerCustomization)
  customization(@Root() layer: LayerEntity): LayerCustomization {
    const { materialItemId, ...rest } = layer.customization;
    return { ...rest, material: materialItemId ? { id: materialItemId } : null };
  }

  @FieldResolver(() => LayerGroup, { nullable: true })
  group(@Root() layer: LayerEntity, @Ctx() ctx: ServiceContext) {
    if (fromSnapshot(layer, 'snapshotGroup')) return layer.snapshotGroup;
    return layer.groupId ? ctx.loaders.group.load(layer.groupId) : null;
  }
}

@Resolver(() => LayerGroup)
export class LayerGroupResolver {
  @FieldResolver(() => [Layer])
  async layers(@Root() group: LayerGroupEntity, @Ctx() ctx: ServiceContext) {
    if (fromSnapshot(group, 'snapshotLayers')) return group.snapshotLayers;
    const stack = await ctx.loaders.layersByDesign.load(group.designId);
    return stack.filter((layer) => layer.groupId === group.id);
  }
}
