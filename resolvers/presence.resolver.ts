import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import type { ServiceContext } from '../src/context';
import { leaveDesign } from '../src/services/presence/leave-design';
import { presenceOf } from '../src/services/presence/list-presence';
import { presenceChanges, type PresenceChange } from '../src/services/presence/presence-changes';
import { updatePresence } from '../src/services/presence/update-presence';
import { Design } from './types/design.type';
import { PresenceEntry, presenceEntry, PresenceEvent, PresenceInput } from './types/presence.type';

interface PresenceChangedArgs {
  designId: string;
  sessionId?: string | null;
}

@Resolver(() => PresenceEntry)
export class PresenceResolver {
  @Mutation(() => PresenceEntry, {
    description:
      'Joins the design with this session, or updates it; also the heartbeat (send it more often than every PRESENCE_TTL_MS, 30 s). Anyone signed in who may read the design.',
  })
  async updatePresence(
    @Arg('designId', () => ID) designId: string,
    @Arg('sessionId', () => ID) sessionId: string,
    @Arg('input', () => PresenceInput) input: PresenceInput,
    @Ctx() ctx: ServiceContext,
  ): Promise<PresenceEntry> {
    return presenceEntry(await updatePresence(ctx, { designId, sessionId, input }));
  }

  @Mutation(() => Boolean, { description: "Takes the caller's session out of the design at once; false when it was not there." })
  leaveDesign(@Arg('designId', () => ID) designId: string, @Arg('sessionId', () => ID) sessionId: string, @Ctx() ctx: ServiceContext) {
    return leaveDesign(ctx, { designId, sessionId });
  }

  @Subscription(() => PresenceEvent, {
    subscribe: ({ args, context }) =>
      presenceChanges(context as ServiceContext, (args as PresenceChangedArgs).designId, (args as PresenceChangedArgs).sessionId),
    description:
      "Who joins, updates and leaves the design, as it happens (nothing is replayed), for callers who may read it. With sessionId (the caller's own), that session leaves as soon as this subscription ends or its socket closes.",
  })
  presenceChanged(
    @Root() change: PresenceChange,
    @Arg('designId', () => ID) _designId: string,
    @Arg('sessionId', () => ID, { nullable: true }) _sessionId?: string,
  ): PresenceEvent {
    return { type: change.type, entry: presenceEntry(change.entry), present: change.present.map(presenceEntry) };
  }
}

@Resolver(() => Design)
export class DesignPresenceResolver {
  @FieldResolver(() => [PresenceEntry], { description: 'Who is in the design now, one entry per session. Never cached.' })
  async presence(@Root() design: { id: string }, @Ctx() ctx: ServiceContext): Promise<PresenceEntry[]> {
    return (await presenceOf(ctx, design.id)).map(presenceEntry);
  }
}
