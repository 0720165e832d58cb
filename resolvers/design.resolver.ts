import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DesignEntity } from '../entities/design.entity';
import { DesignStatus } from '../entities/enums';
import { inTransaction, type ServiceContext } from '../src/context';
import { DesignOrder, DesignScope } from '../src/domain/design-list';
import { createDesign } from '../src/services/designs/create-design';
import { deleteDesign } from '../src/services/designs/delete-design';
import { listDesigns } from '../src/services/designs/list-designs';
import { setDesignStatus } from '../src/services/designs/set-design-status';
import { updateDesign } from '../src/services/designs/update-design';
import { listHistory } from '../src/services/history/list-history';
import { forkDesign } from '../src/services/designs/fork-design';
import { redo, undo } from '../src/services/undo/undo-redo';
import { listAutosaves, listVersions } from '../src/services/versions/version-queries';
import { AutosaveConnection, VersionConnection } from './types/version.type';
import { CanvasSettings } from './types/canvas.type';
import { Collaborator } from './types/collaborator.type';
import { CreateDesignInput, Design, DesignConnection, DesignFilter, UpdateDesignInput } from './types/design.type';
import { CollaboratorRole } from './types/enums';
import { Avatar, User } from './types/federation.type';
import { HistoryConnection } from './types/history.type';
import { Layer, LayerGroup } from './types/layer.type';
import { ExpectedRevisionArg } from './args';
import { HistoryPageArgs, PageArgs } from './types/page-args.type';
import { ForkNameArgs } from './types/text-args.type';

@Resolver(() => Design)
export class DesignResolver {
  @Query(() => Design, { nullable: true, description: 'Null when it does not exist, is deleted, or the caller may not read it.' })
  design(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.readableDesignTree.load(id);
  }

  @Query(() => DesignConnection)
  designs(
    @Ctx() ctx: ServiceContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => DesignFilter, { nullable: true }) filter?: DesignFilter,
    @Arg('orderBy', () => DesignOrder, { nullable: true, defaultValue: DesignOrder.LAST_EDITED_DESC }) orderBy?: DesignOrder,
  ) {
    return listDesigns(ctx, { ...filter, scope: filter?.scope ?? DesignScope.MINE, order: orderBy, ...page });
  }

  @Mutation(() => Design)
  createDesign(@Arg('input', () => CreateDesignInput) input: CreateDesignInput, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => createDesign(tx, input));
  }

  @Mutation(() => Design)
  updateDesign(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateDesignInput) input: UpdateDesignInput,
    @Ctx() ctx: ServiceContext,
    @ExpectedRevisionArg() expectedRevision?: number,
  ) {
    return inTransaction(ctx, (tx) => updateDesign(tx, { ...input, designId: id, expectedRevision }));
  }

  @Mutation(() => Boolean, { description: 'Soft delete (owner only).' })
  deleteDesign(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => deleteDesign(tx, { designId: id }));
  }

  @Mutation(() => Design)
  publishDesign(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext, @ExpectedRevisionArg() expectedRevision?: number) {
    return inTransaction(ctx, (tx) => setDesignStatus(tx, { designId: id, status: DesignStatus.PUBLISHED, expectedRevision }));
  }

  @Mutation(() => Design)
  archiveDesign(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext, @ExpectedRevisionArg() expectedRevision?: number) {
    return inTransaction(ctx, (tx) => setDesignStatus(tx, { designId: id, status: DesignStatus.ARCHIVED, expectedRevision }));
  }

  @Mutation(() => Design, {
    description:
      "Copies the design, its layers, groups and canvas into a new design owned by the caller; the source's forkCount grows by one.",
  })
  forkDesign(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext, @Args(() => ForkNameArgs) { name }: ForkNameArgs) {
    return forkDesign(ctx, { designId: id, name });
  }

  @Mutation(() => Design, { description: "Reverts the caller's newest change on this design that is not yet undone." })
  undo(@Arg('designId', () => ID) designId: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => undo(tx, { designId }));
  }

  @Mutation(() => Design, {
    description: "Re-applies the caller's newest undone change; any new change of the caller clears the redo stack.",
  })
  redo(@Arg('designId', () => ID) designId: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => redo(tx, { designId }));
  }

  @FieldResolver(() => User)
  owner(@Root() design: DesignEntity): User {
    return { id: design.ownerId };
  }

  @FieldResolver(() => Avatar, { nullable: true })
  avatar(@Root() design: DesignEntity): Avatar | null {
    return design.avatarId ? { id: design.avatarId } : null;
  }

  @FieldResolver(() => Design, { nullable: true })
  forkedFrom(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    return design.forkedFromId ? ctx.loaders.readableDesign.load(design.forkedFromId) : null;
  }

  @FieldResolver(() => [Layer])
  layers(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.layersByDesign.load(design.id);
  }

  @FieldResolver(() => [LayerGroup])
  layerGroups(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.groupsByDesign.load(design.id);
  }

  @FieldResolver(() => CanvasSettings)
  canvas(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.canvas.load(design.id);
  }

  @FieldResolver(() => [Collaborator])
  collaborators(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.collaborators.load(design.id);
  }

  @FieldResolver(() => CollaboratorRole, { nullable: true })
  async viewerRole(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    if (!ctx.viewer) return null;
    const collaborators = await ctx.loaders.collaborators.load(design.id);
    return collaborators.find((c) => c.userId === ctx.viewer!.userId)?.role ?? null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller has a change of their own on this design to undo / redo.' })
  async canUndo(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    return (await ctx.loaders.undoDepth.load(design.id)).undo > 0;
  }

  @FieldResolver(() => Boolean)
  async canRedo(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    return (await ctx.loaders.undoDepth.load(design.id)).redo > 0;
  }

  @FieldResolver(() => VersionConnection, { description: 'Newest first.' })
  versions(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext, @Args(() => PageArgs) page: PageArgs) {
    return listVersions(ctx, { designId: design.id, ...page });
  }

  @FieldResolver(() => AutosaveConnection, { description: 'Autosaves of the last 7 days, newest first.' })
  autosaves(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext, @Args(() => PageArgs) page: PageArgs) {
    return listAutosaves(ctx, { designId: design.id, ...page });
  }

  @FieldResolver(() => HistoryConnection)
  history(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext, @Args(() => HistoryPageArgs) page: HistoryPageArgs) {
    return listHistory(ctx, { designId: design.id, ...page });
  }
}
