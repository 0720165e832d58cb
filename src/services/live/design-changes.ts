import type { HistoryEntryEntity } from '../../../entities/history-entry.entity';
import type { ServiceContext } from '../../context';
import { badInput, DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { ACCESS_EVENTS, DesignEventType, type DesignEventMessage, type DesignEventPayload } from '../../events/design-event';
import { isCommentEvent } from '../../events/comment-event';
import type { BusMessage } from '../../events/event-bus';
import { isPresenceMessage } from '../../events/presence-event';
import { readableRevision } from '../access/require-access';
import { historyAfter } from '../../repositories/history.repository';
import { OrderedStream } from './ordered-stream';

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
  const stream = new DesignChangeStream(ctx, designId);
  try {
    await stream.listen();
  } catch (error) {
    await stream.return();
    // What the caller asked is judged first, as when Redis is up: only then is Redis the reason.
    startRevision(await readableRevision(ctx, designId), afterRevision);
    throw new DesignError(
      ErrorCode.ServiceUnavailable,
      `Live events are unavailable for a moment (${(error as Error).message}); subscribe again`,
    );
  }
  // One read, once the channel is confirmed, both checks access and fixes where the stream starts:
  // a change committed after it arrives live, one committed before it is within the revision read.
  try {
    const start = startRevision(await readableRevision(ctx, designId), afterRevision);
    stream.start(start, afterRevision !== undefined && afterRevision !== null);
  } catch (error) {
    await stream.return();
    throw error;
  }
  return stream;
}

/** The revision after which the stream starts; throws when the caller may not read the design or asks for a revision it does not have. */
function startRevision(current: number | null, afterRevision: number | null | undefined): number {
  if (current === null) throw notFound('Design');
  if (afterRevision === undefined || afterRevision === null) return current;
  if (afterRevision < 0 || afterRevision > current) throw badInput('afterRevision', `must be from 0 to the design's revision (${current})`);
  return afterRevision;
}

/** The design's changes [R1-R5, A1] on the design's channel. */
class DesignChangeStream extends OrderedStream<DesignEventMessage> {
  // Presence and comments share the design's channel but are not changes of it (PR1, CM9).
  protected wants(message: BusMessage): boolean {
    return !isPresenceMessage(message) && !isCommentEvent(message);
  }

  protected async judge(bus: BusMessage) {
    const message = bus as DesignEventMessage;
    if (message.resync) return this.fromLog();
    if (message.sideband) return this.deliver(message);
    if (message.revision <= this.last) return;
    if (message.revision > this.last + 1) await this.fromLog(message.revision - 1);
    if (!this.finishing) await this.deliver(message);
  }

  /** The change log after the last revision sent (up to `toRevision`), judged as live events are. */
  protected async fromLog(toRevision?: number) {
    for (;;) {
      const entries = await historyAfter(this.ctx.db.manager, this.designId, this.last, REPLAY_BATCH, toRevision);
      for (const entry of entries) {
        await this.deliver(messageFromEntry(entry));
        if (this.finishing || this.ended) return;
      }
      if (entries.length < REPLAY_BATCH) return;
    }
  }

  /** Queues the message if the subscriber may still see it; finishes the stream when it must end. */
  private async deliver(message: DesignEventMessage) {
    if (!message.sideband) this.last = message.revision;
    const deleted = message.type === DesignEventType.DESIGN_DELETED;
    if (ACCESS_EVENTS.has(message.type) && (await readableRevision(this.ctx, this.designId)) === null) {
      if (!deleted) return this.finish(notFound('Design'));
      this.finish();
    }
    if (this.ended) return;
    this.push(message);
    if (deleted) this.finish();
  }
}
