import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { ExportEntity } from '../entities/export.entity';
import { inTransaction, type ServiceContext } from '../src/context';
import { cancelExport, exportDesign, retryExport } from '../src/services/exports/export-commands';
import { listExports } from '../src/services/exports/export-queries';
import { exportUpdates } from '../src/services/live/export-updates';
import { Design } from './types/design.type';
import { Export, ExportConnection, ExportInput } from './types/output.type';
import { PageArgs } from './types/page-args.type';

@Resolver(() => Export)
export class ExportResolver {
  @Query(() => Export, { nullable: true })
  export(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.readableExport.load(id);
  }

  @Subscription(() => Export, {
    subscribe: ({ args, context }) => exportUpdates(context as ServiceContext, (args as { exportId: string }).exportId),
    description: 'Each status or progress change of the export.',
  })
  exportUpdated(@Root() update: ExportEntity, @Ctx() ctx: ServiceContext, @Arg('exportId', () => ID) _exportId: string): ExportEntity {
    // As for designChanged: each update reads today's rows through loaders of its own.
    ctx.releaseLoaders();
    return update;
  }

  @Mutation(() => Export, { description: 'Returns at once with a QUEUED export that a worker processes (EXPORT_UPDATED events).' })
  exportDesign(
    @Arg('designId', () => ID) designId: string,
    @Arg('input', () => ExportInput) input: ExportInput,
    @Ctx() ctx: ServiceContext,
  ) {
    return exportDesign(ctx, { designId, input });
  }

  @Mutation(() => Export)
  cancelExport(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => cancelExport(tx, { exportId: id }));
  }

  @Mutation(() => Export, { description: 'Queues a FAILED or CANCELLED export again.' })
  retryExport(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => retryExport(tx, { exportId: id }));
  }

  @FieldResolver(() => Design)
  design(@Root() exported: ExportEntity, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.readableDesign.load(exported.designId);
  }

  /** A signed, expiring link while the file is kept, for callers who could read the export. */
  @FieldResolver(() => String, { nullable: true, description: 'Download URL while the file is kept (7 days after completion).' })
  async fileUrl(@Root() exported: ExportEntity, @Ctx() ctx: ServiceContext): Promise<string | null> {
    const kept = exported.fileKey && exported.expiresAt && new Date(exported.expiresAt).getTime() > Date.now();
    return kept ? ctx.files.downloadUrl(exported.fileKey!) : null;
  }
}

@Resolver(() => Design)
export class DesignExportsResolver {
  @FieldResolver(() => ExportConnection, { description: 'Newest first.' })
  exports(@Root() design: { id: string }, @Ctx() ctx: ServiceContext, @Args(() => PageArgs) page: PageArgs) {
    return listExports(ctx, { designId: design.id, ...page });
  }
}
