import { Arg, Ctx, ID, Int, Resolver, Root, Subscription } from 'type-graphql';
import type { ServiceContext } from '../src/context';
import type { DesignEventMessage } from '../src/events/design-event';
import { designChanges } from '../src/services/live/design-changes';
import { DesignEvent } from './types/event.type';

interface DesignChangedArgs {
  designId: string;
  afterRevision?: number | null;
}

@Resolver(() => DesignEvent)
export class DesignEventResolver {
  @Subscription(() => DesignEvent, {
    subscribe: ({ args, context }) =>
      designChanges(context as ServiceContext, (args as DesignChangedArgs).designId, (args as DesignChangedArgs).afterRevision),
    description:
      'Every committed change of the design, in revision order, for callers who may read it. With afterRevision, the events after that revision are replayed from the change log first, then live events follow with no gap and no duplicate.',
  })
  designChanged(
    @Root() message: DesignEventMessage,
    @Ctx() ctx: ServiceContext,
    @Arg('designId', () => ID) _designId: string,
    @Arg('afterRevision', () => Int, { nullable: true }) _afterRevision?: number,
  ): DesignEvent {
    // One context serves every event of the subscription: nested fields must read today's rows, through
    // loaders that go with the event (an idle subscription then holds none).
    ctx.releaseLoaders();
    const { actorId, at, ...payload } = message;
    return {
      layer: null,
      layerId: null,
      layerIds: null,
      canvas: null,
      design: null,
      version: null,
      render: null,
      export: null,
      ...(payload as unknown as Partial<DesignEvent>),
      actor: actorId ? { id: actorId } : null,
      at: new Date(at),
    } as DesignEvent;
  }
}
