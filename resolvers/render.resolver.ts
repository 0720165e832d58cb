import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RenderStatus, type RenderEntity } from '../entities/render.entity';
import type { ServiceContext } from '../src/context';
import { requestRender } from '../src/services/renders/request-render';
import { Design } from './types/design.type';
import { Render, RenderSettingsInput } from './types/output.type';

@Resolver(() => Render)
export class RenderResolver {
  @Query(() => Render, { nullable: true })
  render(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.readableRender.load(id);
  }

  @Mutation(() => Render, {
    description: 'Returns at once: a COMPLETED cache hit, or a QUEUED render that a worker completes (RENDER_UPDATED events).',
  })
  requestRender(
    @Arg('designId', () => ID) designId: string,
    @Ctx() ctx: ServiceContext,
    @Arg('settings', () => RenderSettingsInput, { nullable: true }) settings?: RenderSettingsInput,
  ) {
    return requestRender(ctx, { designId, settings });
  }

  /** A signed, expiring link, for callers who could read the render. */
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'A signed link that expires (FILE_URL_TTL_SECONDS) to the COMPLETED image; null before that, and once the file is removed (RENDER_CACHE_TTL_MS after the newest render showing it).',
  })
  async imageUrl(@Root() render: RenderEntity, @Ctx() ctx: ServiceContext): Promise<string | null> {
    return render.status === RenderStatus.COMPLETED && render.fileKey ? ctx.files.downloadUrl(render.fileKey) : null;
  }
}

@Resolver(() => Design)
export class DesignPreviewResolver {
  @FieldResolver(() => Render, {
    nullable: true,
    description: 'The newest completed render at default settings whose image is still kept, or null.',
  })
  preview(@Root() design: { id: string }, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.preview.load(design.id);
  }
}
