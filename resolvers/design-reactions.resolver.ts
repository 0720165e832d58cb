import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { DesignEntity } from '../entities/design.entity';
import { inTransaction, type ServiceContext } from '../src/context';
import { recordView, setLiked } from '../src/services/designs/reactions';
import { Design } from './types/design.type';

/** Over HTTP the context carries the caller's address (src/http/create-app.ts); a socket's context may not. */
const addressOf = (ctx: ServiceContext) => (ctx as ServiceContext & { address?: string }).address ?? 'unknown';

@Resolver(() => Design)
export class DesignReactionsResolver {
  @Mutation(() => Design, { description: 'Signed in, with read access. Liking twice counts once.' })
  likeDesign(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => setLiked(tx, { designId: id, liked: true }));
  }

  @Mutation(() => Design, { description: 'Undoes likeDesign; a no-op when the caller does not like it.' })
  unlikeDesign(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => setLiked(tx, { designId: id, liked: false }));
  }

  @Mutation(() => Design, {
    description: 'Counts a view: once per signed-in user per design per UTC day; anonymous readers of public designs once per address.',
  })
  recordDesignView(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => recordView(tx, { designId: id, address: addressOf(ctx) }));
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller likes the design (false when anonymous).' })
  viewerHasLiked(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.likedByViewer.load(design.id);
  }
}
