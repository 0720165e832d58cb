import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { DesignEntity } from '../entities/design.entity';
import type { ShareLinkEntity } from '../entities/share-link.entity';
import { inTransaction, type ServiceContext } from '../src/context';
import { CollaboratorRole as Role } from '../entities/enums';
import { createShareLink, joinDesign, revokeShareLink, type CreatedShareLink } from '../src/services/sharing/share-links';
import { Design } from './types/design.type';
import { CollaboratorRole } from './types/enums';
import { DateTimeScalar } from './types/scalars';
import { ShareLink } from './types/share-link.type';

/** What the API shows of a stored link: the token only when it was just made. */
function shareLinkView(ctx: ServiceContext, link: ShareLinkEntity | CreatedShareLink): ShareLink {
  const token = 'token' in link ? link.token : null;
  const now = new Date();
  return {
    id: link.id,
    role: link.role,
    url: `${ctx.config.appUrl}/join/${token ?? `${link.tokenHint}…`}`,
    token,
    expiresAt: link.expiresAt,
    uses: link.uses,
    maxUses: link.maxUses,
    spent: (link.expiresAt !== null && link.expiresAt <= now) || (link.maxUses !== null && link.uses >= link.maxUses),
    createdBy: { id: link.createdBy },
    createdAt: link.createdAt,
  };
}

@Resolver(() => Design)
export class ShareLinkResolver {
  @Mutation(() => ShareLink, { description: 'Owner only. The answer is the only one that shows the token.' })
  async createShareLink(
    @Arg('designId', () => ID) designId: string,
    @Arg('role', () => CollaboratorRole) role: CollaboratorRole,
    @Ctx() ctx: ServiceContext,
    @Arg('expiresAt', () => DateTimeScalar, { nullable: true }) expiresAt?: Date,
    @Arg('maxUses', () => Int, { nullable: true }) maxUses?: number,
  ) {
    return shareLinkView(ctx, await inTransaction(ctx, (tx) => createShareLink(tx, { designId, role: role as Role, expiresAt, maxUses })));
  }

  @Mutation(() => ID, { description: 'Owner only. Stops new joins; who joined stays a collaborator.' })
  revokeShareLink(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => revokeShareLink(tx, id));
  }

  @Mutation(() => Design, {
    description: "Adds the caller as a collaborator with the link's role (never lowering a role they have), and answers the design.",
  })
  joinDesign(@Arg('token') token: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => joinDesign(tx, token));
  }

  @FieldResolver(() => [ShareLink], { description: 'Links not revoked, oldest first; the owner sees them, anyone else an empty list.' })
  async shareLinks(@Root() design: DesignEntity, @Ctx() ctx: ServiceContext) {
    const links = await ctx.loaders.ownedShareLinks.load(design.id);
    return links.map((link) => shareLinkView(ctx, link));
  }
}
