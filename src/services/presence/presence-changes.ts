import { requireViewer, type ServiceContext } from '../../context';
import { DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { ACCESS_EVENTS, DesignEventType } from '../../events/design-event';
import type { BusMessage, EventReceiver } from '../../events/event-bus';
import { isCommentEvent } from '../../events/comment-event';
import { isPresenceMessage, type PresenceMessage } from '../../events/presence-event';
import { logger } from '../../logger';
import { findPresence } from '../../repositories/presence.repository';
import { readableRevision } from '../access/require-access';
import { leaveDesign } from './leave-design';
import { assertSessionId } from './presence-input';

export type PresenceChange = PresenceMessage['presence'];

/**
 * Every presence change of one design, as it happens (nothing is replayed) [PR1, PR5]. With
 * `sessionId` (the caller's), the session leaves as soon as the subscription ends, however it ends:
 * completed by the client, its socket closed, or the caller's access lost [PR3]. Events that can
 * change access make the stream check again, and losing access ends it as `designChanged` ends [PR6].
 */
export async function presenceChanges(
  ctx: ServiceContext,
  designId: string,
  sessionId?: string | null,
): Promise<AsyncIterableIterator<PresenceChange>> {
  if (sessionId !== undefined && sessionId !== null) {
    const viewer = requireViewer(ctx);
    assertSessionId(sessionId);
    if ((await readableRevision(ctx, designId)) === null) throw notFound('Design');
    const found = await findPresence(ctx.redis, designId, sessionId);
    if (found && found.entry.userId !== viewer.userId) {
      throw new DesignError(ErrorCode.Forbidden, 'sessionId: this session belongs to someone else', { field: 'sessionId' });
    }
  }
  const stream = new PresenceStream(ctx, designId);
  try {
    await stream.listen();
  } catch (error) {
    await stream.return();
    if ((await readableRevision(ctx, designId)) === null) throw notFound('Design');
    throw new DesignError(
      ErrorCode.ServiceUnavailable,
      `Presence is unavailable for a moment (${(error as Error).message}); subscribe again`,
    );
  }
  // Checked once the channel is confirmed: access lost after this arrives as an event.
  if ((await readableRevision(ctx, designId)) === null) {
    await stream.return();
    throw notFound('Design');
  }
  if (sessionId) stream.holdSession(sessionId);
  return stream;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** What the stream has to hand out or judge, in arrival order. */
type Arrival = { change: PresenceChange } | { accessMayChange: DesignEventType };

class PresenceStream implements AsyncIterableIterator<PresenceChange>, EventReceiver {
  private listening = false;
  private readonly inbox: Arrival[] = [];
  private waiting: ((result: Promise<IteratorResult<PresenceChange>>) => void) | undefined;
  private ended = false;
  /** The caller's session that leaves when the stream ends. */
  private sessionId: string | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly designId: string,
  ) {}

  holdSession(sessionId: string): void {
    this.sessionId = sessionId;
  }

  listen(): Promise<void> {
    this.listening = true;
    return this.ctx.events.listen(this.designId, this);
  }

  receive(message: BusMessage): void {
    if (this.ended) return;
    if (isPresenceMessage(message)) this.inbox.push({ change: message.presence });
    else if (!isCommentEvent(message) && ACCESS_EVENTS.has(message.type) && !message.resync)
      this.inbox.push({ accessMayChange: message.type });
    else return;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(this.advance());
  }

  next(): Promise<IteratorResult<PresenceChange>> {
    return this.advance();
  }

  async return(): Promise<IteratorResult<PresenceChange>> {
    await this.close();
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<PresenceChange>> {
    await this.close();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private async advance(): Promise<IteratorResult<PresenceChange>> {
    for (;;) {
      if (this.ended) return DONE;
      const arrival = this.inbox.shift();
      if (!arrival) return new Promise((resolve) => (this.waiting = resolve));
      if ('change' in arrival) return { value: arrival.change, done: false };
      let readable: boolean;
      try {
        readable = (await readableRevision(this.ctx, this.designId)) !== null;
      } catch (error) {
        await this.close();
        throw error;
      }
      if (readable) continue;
      await this.close();
      // A deleted design ends the stream as designChanged ends it after DESIGN_DELETED; any other loss is NOT_FOUND.
      if (arrival.accessMayChange === DesignEventType.DESIGN_DELETED) return DONE;
      throw notFound('Design');
    }
  }

  /** Lets the design's channel go at once, and the tied session leave. */
  private async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.inbox.length = 0;
    if (this.listening) {
      this.listening = false;
      this.ctx.events.unlisten(this.designId, this);
    }
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(Promise.resolve(DONE));
    if (this.sessionId) {
      await leaveDesign(this.ctx, { designId: this.designId, sessionId: this.sessionId }).catch((error: unknown) =>
        logger.warn({ err: error, designId: this.designId }, 'presence session did not leave with its subscription'),
      );
    }
  }
}
