import type { HistoryEntryEntity } from '../../../entities/history-entry.entity';
import type { ServiceContext } from '../../context';
import { badInput, DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { ACCESS_EVENTS, DesignEventType, type DesignEventMessage, type DesignEventPayload } from '../../events/design-event';
import { isCommentEvent } from '../../events/comment-event';
import type { BusMessage, EventReceiver } from '../../events/event-bus';
import { isPresenceMessage } from '../../events/presence-event';
import { readableRevision } from '../access/require-access';
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

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One subscriber's stream, written as a plain iterator rather than async generators: thousands of
 * idle subscriptions each park here, and a parked generator chain (frames, requests, wrappers, the
 * pub/sub library's queues and promises) costs several KB where this object and one pending promise do.
 * Messages arrive from the event bus into `inbox`; `advance()` judges them one at a time, in order
 * (replay, dropping duplicates, gap filling, access checks), into `outbox`, which it hands out.
 */
class DesignChangeStream implements AsyncIterableIterator<DesignEventMessage>, EventReceiver {
  private listening = false;
  /** Arrived from the bus, not judged yet; made on the first arrival. */
  private inbox: DesignEventMessage[] | undefined;
  /** Judged, to be handed out in order. */
  private outbox: DesignEventMessage[] | undefined;
  /** The caller of `next()` while nothing is left to judge: the next arrival answers it. */
  private waiting: ((result: Promise<IteratorResult<DesignEventMessage>> | IteratorResult<DesignEventMessage>) => void) | undefined;
  /** The last revision sent. */
  private last = 0;
  /** The change log after `last` is still to be replayed. */
  private replaying = false;
  /** The stream decided to end once `outbox` is out: the design is gone (or, with `failure`, unreadable). */
  private finishing = false;
  private failure: unknown;
  /** The subscriber left. */
  private ended = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly designId: string,
  ) {}

  /** Resolves once Redis has confirmed the design's channel. */
  listen(): Promise<void> {
    this.listening = true;
    return this.ctx.events.listen(this.designId, this);
  }

  /** From `after`, replaying the change log after it first if asked to (without, the log has nothing newer yet). */
  start(after: number, replay: boolean) {
    this.last = after;
    this.replaying = replay;
  }

  receive(message: BusMessage) {
    // Presence and comments share the design's channel but are not changes of it (PR1, CM9).
    if (this.ended || this.finishing || isPresenceMessage(message) || isCommentEvent(message)) return;
    (this.inbox ??= []).push(message);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(this.advance());
  }

  next(): Promise<IteratorResult<DesignEventMessage>> {
    return this.advance();
  }

  return(): Promise<IteratorResult<DesignEventMessage>> {
    this.close();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<DesignEventMessage>> {
    this.close();
    return Promise.reject(error as Error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private async advance(): Promise<IteratorResult<DesignEventMessage>> {
    try {
      for (;;) {
        if (this.ended) return DONE;
        const judged = this.outbox?.shift();
        if (judged) return { value: judged, done: false };
        if (this.finishing) {
          this.close();
          const failure = this.failure;
          this.failure = undefined;
          if (failure) throw failure;
          return DONE;
        }
        if (this.replaying) {
          this.replaying = false;
          await this.fromLog();
          continue;
        }
        const message = this.inbox?.shift();
        // Idle: this frame ends, and only a pending promise and its resolver stay.
        if (!message) return new Promise((resolve) => (this.waiting = resolve));
        await this.judge(message);
      }
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Ends the stream and lets the design's channel go at once: a parked subscriber holds nothing. */
  private close() {
    this.ended = true;
    this.stopListening();
    this.inbox = undefined;
    this.outbox = undefined;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(DONE);
  }

  private stopListening() {
    if (!this.listening) return;
    this.listening = false;
    this.ctx.events.unlisten(this.designId, this);
  }

  private async judge(message: DesignEventMessage) {
    if (message.resync) return this.fromLog();
    if (message.sideband) return this.deliver(message);
    if (message.revision <= this.last) return;
    if (message.revision > this.last + 1) await this.fromLog(message.revision - 1);
    if (!this.finishing) await this.deliver(message);
  }

  /** The change log after the last revision sent (up to `toRevision`), judged as live events are. */
  private async fromLog(toRevision?: number) {
    for (;;) {
      const entries = await historyAfter(this.ctx.db.manager, this.designId, this.last, REPLAY_BATCH, toRevision);
      for (const entry of entries) {
        await this.deliver(messageFromEntry(entry));
        if (this.finishing || this.ended) return;
      }
      if (entries.length < REPLAY_BATCH) return;
    }
  }

  /** Queues the message if the subscriber may still see it; marks the stream finishing when it must end. */
  private async deliver(message: DesignEventMessage) {
    if (!message.sideband) this.last = message.revision;
    if (ACCESS_EVENTS.has(message.type) && (await readableRevision(this.ctx, this.designId)) === null) {
      this.finishing = true;
      this.stopListening();
      if (message.type !== DesignEventType.DESIGN_DELETED) {
        this.failure = notFound('Design');
        return;
      }
    }
    if (this.ended) return;
    (this.outbox ??= []).push(message);
    if (message.type === DesignEventType.DESIGN_DELETED) {
      this.finishing = true;
      this.stopListening();
    }
  }
}
