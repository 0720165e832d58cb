import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { ExportEntity } from '../entities/export.entity';
import type { ServiceContext } from '../src/context';
import { DesignError, ErrorCode } from '../src/errors/design-error';
import { listExports } from '../src/services/exports/export-queries';
import { exportUpdates } from '../src/services/live/export-updates';
import { Design } from './types/design.type';
import { Export, ExportConnection } from './types/output.type';
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
    ctx.loaders.clearAll();
    return update;
  }

  @FieldResolver(() => Design)
  design(@Root() exported: ExportEntity, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.readableDesign.load(exported.designId);
  }

  /** Signed download URLs come with the file storage of the export pipeline (issue 5). */
  @FieldResolver(() => String, { nullable: true, description: 'Download URL while the file is kept (7 days after completion).' })
  fileUrl(@Root() exported: ExportEntity): string | null {
    if (!exported.fileKey) return null;
    throw new DesignError(ErrorCode.NotImplemented, 'Export downloads are not implemented yet');
  }
}

@Resolver(() => Design)
export class DesignExportsResolver {
  @FieldResolver(() => ExportConnection, { description: 'Newest first.' })
  exports(
    @Root() design: { id: string },
    @Ctx() ctx: ServiceContext,
    @Args(() => PageArgs) page: PageArgs,
  ) {
    return listExports(ctx, { designId: design.id, ...page });
  }
}
