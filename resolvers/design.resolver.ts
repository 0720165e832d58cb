import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DesignEntity } from '../entities/design.entity';
import { DesignStatus } from '../entities/enums';
import { inTransaction, type ServiceContext } from '../src/context';
import { DesignOrder, DesignScope } from '../src/repositories/design-list.repository';
import { createDesign } from '../src/services/designs/create-design';
import { deleteDesign } from '../src/services/designs/delete-design';
import { listDesigns } from '../src/services/designs/list-designs';
import { setDesignStatus } from '../src/services/designs/set-design-status';
import { updateDesign } from '../src/services/designs/update-design';
import { listHistory } from '../src/services/history/list-history';
import { CanvasSettings } from './types/canvas.type';
import { Collaborator } from './types/collaborator.type';
import { CreateDesignInput, Design, DesignConnection, DesignFilter, UpdateDesignInput } from './types/design.type';
import { CollaboratorRole } from './types/enums';
import { Avatar, User } from './types/federation.type';
import { HistoryConnection } from './types/history.type';
import { Layer, LayerGroup } from './types/layer.type';
import { ExpectedRevisionArg } from './args';

@Resolver(() => Design)
export class DesignResolver {
  @Query(() => Design, { nullable: true, description: 'Null when it does not exist, is deleted, or the caller may not read it.' })
  design(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.readableDesign.load(id);
  }

  @Query(() => DesignConnection)
  designs(
    @Ctx() ctx: ServiceContext,
    @Arg('filter', () => DesignFilter, { nullable: true }) filter?: DesignFilter,
    @Arg('orderBy', () => DesignOrder, { nullable: true, defaultValue: DesignOrder.LAST_EDITED_DESC }) orderBy?: DesignOrder,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return listDesigns(ctx, { ...filter, scope: filter?.scope ?? DesignScope.MINE, order: orderBy, first, after });
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

  @FieldResolver(() => HistoryConnection)
  history(
    @Root() design: DesignEntity,
    @Ctx() ctx: ServiceContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return listHistory(ctx, { designId: design.id, first, after });
  }
}
