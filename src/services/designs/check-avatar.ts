import type { ServiceContext } from '../../context';
import { badInput } from '../../errors/design-error';
import type { Avatar } from '../../upstream/subgraphs';

/** The avatar exists and the designer may use it: their own, or a public one. */
export async function checkAvatar(ctx: ServiceContext, avatarId: string, designerId: string): Promise<Avatar> {
  const avatar = await ctx.upstream.avatars.load(avatarId);
  if (!avatar || (!avatar.isPublic && avatar.ownerId !== designerId)) throw badInput('avatarId', 'no such avatar');
  return avatar;
}
