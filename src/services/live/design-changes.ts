import type { HistoryEntryEntity } from '../../../entities/history-entry.entity';
import type { ServiceContext } from '../../context';
import { badInput, DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { ACCESS_EVENTS, DesignEventType, type DesignEventMessage, type DesignEventPayload } from '../../events/design-event';
import type { LiveEvents } from '../../events/event-bus';
import { readableRevision } from '../access/require-access';
import { closeWith } from './close-with';
import { historyAfter } from '../../repositories/history.repository';

const REPLAY_BATCH = 500;

/** Maps the change-log actions written before events were stored to an event type [R2]. */
const LEGACY_EVENT_TYPE: Record<string, DesignEventType> = {
  DESIGN_DELETED: DesignEventType.DESIGN_DELETED,
  LAYER_ADDED: DesignEventType.LAYER_ADDED,
  LAYER_DUPLICATED: DesignEventType.LAYER_ADDED,
  LAYER_UPDATED: DesignEventType.LAYER_UPDATED,
  LAYER_REMOVED: DesignEventType.LAYER_REMOVED,
  LAYERS_REORDERED: DesignEventType.LAYERS_REORDERED,
  LAYERS_GROUPED: DesignEventType.LAYER_GROUPS_CHANGED,
  LAYERS_UNGROUPED: DesignEventType.LAYER_GROUPS_CHANGED,
  CANVAS_UPDATED: DesignEventType.CANVAS_UPDATED,
  COLLABORATOR_ADDED: DesignEventType.COLLABORATORS_CHANGED,
  COLLABORATOR_UPDATED: DesignEventType.COLLABORATORS_CHANGED,
  COLLABORATOR_REMOVED: DesignEventType.COLLABORATORS_CHANGED,
};

/** The event a change-log entry produced: exactly what live subscribers received for it. */
export function messageFromEntry(entry: HistoryEntryEntity): DesignEventMessage {
  // Entries written before events were stored (development databases only) give the type alone:
  // subscribers read what else they need from the design.
  const event = entry.event ?? ({ type: LEGACY_EVENT_TYPE[entry.action] ?? DesignEventType.DESIGN_UPDATED } as DesignEventPayload);
  return { ...event, designId: entry.designId, revision: entry.revision, actorId: entry.actorId, at: entry.createdAt.toISOString() };
}

/**
 * The events of one design for one subscriber, in revision order with no gap and no duplicate
 * (docs/collaboration.md R1-R5): subscribe to the live topic and wait for Redis to confirm it,
 * replay the change log after `afterRevision`, then pass live events on, dropping those already sent
 * and filling any gap (an event published late, or lost while Redis was away) from the change log.
 * Access is checked again on every event that can change it; losing it ends the stream [A1].
 */
export async function designChanges(
  ctx: ServiceContext,
  designId: string,
  afterRevision?: number | null,
): Promise<AsyncIterableIterator<DesignEventMessage>> {
  const current = await readableRevision(ctx, designId);
  if (current === null) throw notFound('Design');
  if (afterRevision !== undefined && afterRevision !== null && (afterRevision < 0 || afterRevision > current)) {
    throw badInput('afterRevision', `must be from 0 to the design's revision (${current})`);
  }
  let live: LiveEvents | undefined;
  try {
    live = ctx.events.subscribe(designId);
    await live.ready;
  } catch (error) {
    await live?.return();
    throw new DesignError(
      ErrorCode.ServiceUnavailable,
      `Live events are unavailable for a moment (${(error as Error).message}); subscribe again`,
    );
  }
  return closeWith(run(ctx, designId, live, afterRevision ?? null), live);
}

async function* run(
  ctx: ServiceContext,
  designId: string,
  live: LiveEvents,
  afterRevision: number | null,
): AsyncGenerator<DesignEventMessage> {
  // Without afterRevision the stream starts at the revision current once the live topic is confirmed.
  let last = afterRevision ?? (await readableRevision(ctx, designId)) ?? Number.MAX_SAFE_INTEGER;

  async function* fromLog(toRevision?: number): AsyncGenerator<DesignEventMessage> {
    for (;;) {
      const entries = await historyAfter(ctx.db.manager, designId, last, REPLAY_BATCH, toRevision);
      for (const entry of entries) yield messageFromEntry(entry);
      if (entries.length < REPLAY_BATCH) return;
    }
  }

  /** Yields the message if the subscriber may still see it; false when the stream must end. */
  async function* deliver(message: DesignEventMessage): AsyncGenerator<DesignEventMessage, boolean> {
    if (!message.sideband) last = message.revision;
    if (ACCESS_EVENTS.has(message.type) && (await readableRevision(ctx, designId)) === null) {
      if (message.type === DesignEventType.DESIGN_DELETED) {
        yield message;
        return false;
      }
      throw notFound('Design');
    }
    yield message;
    return message.type !== DesignEventType.DESIGN_DELETED;
  }

  for await (const message of fromLog()) if (!(yield* deliver(message))) return;
  for await (const message of live) {
    if (message.resync) {
      for await (const missed of fromLog()) if (!(yield* deliver(missed))) return;
      continue;
    }
    if (message.sideband) {
      if (!(yield* deliver(message))) return;
      continue;
    }
    if (message.revision <= last) continue;
    if (message.revision > last + 1) {
      for await (const missed of fromLog(message.revision - 1)) if (!(yield* deliver(missed))) return;
    }
    if (!(yield* deliver(message))) return;
  }
}
