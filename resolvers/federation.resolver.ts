import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ServiceContext } from '../src/context';
import { listDesigns } from '../src/services/designs/list-designs';
import { DesignConnection } from './types/design.type';
import { Avatar, User } from './types/federation.type';
import { PageArgs } from './types/page-args.type';

@Resolver(() => User)
export class UserDesignsResolver {
  @FieldResolver(() => DesignConnection, { description: 'Designs owned by this user that the viewer may read, newest edit first.' })
  designs(@Root() user: User, @Ctx() ctx: ServiceContext, @Args(() => PageArgs) page: PageArgs) {
    return listDesigns(ctx, { ownerId: user.id, ...page });
  }
}

@Resolver(() => Avatar)
export class AvatarDesignsResolver {
  @FieldResolver(() => DesignConnection, { description: 'Designs dressing this avatar that the viewer may read, newest edit first.' })
  designs(@Root() avatar: Avatar, @Ctx() ctx: ServiceContext, @Args(() => PageArgs) page: PageArgs) {
    return listDesigns(ctx, { avatarId: avatar.id, ...page });
  }
}
