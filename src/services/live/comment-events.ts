import type { ServiceContext } from '../../context';
import { badInput, DesignError, ErrorCode, notFound } from '../../errors/design-error';
import { isCommentEvent, type CommentEventMessage } from '../../events/comment-event';
import { isPresenceMessage } from '../../events/presence-event';
import { ACCESS_EVENTS, DesignEventType } from '../../events/design-event';
import type { BusMessage, EventReceiver } from '../../events/event-bus';
import { commentEventsAfter, lastCommentSeq } from '../../repositories/comment-event.repository';
import { readableRevision } from '../access/require-access';
import { cursorPart, decodeCursor, encodeCursor } from '../pagination';

const REPLAY_BATCH = 500;

const cursorTag = (designId: string) => `commentEvents:${designId}`;

/** The cursor of an event: what a client passes as `after` to resume behind it. */
export const commentEventCursor = (event: CommentEventMessage) => commentCursorAt(event.designId, event.seq);

/** The cursor after `seq` of the design's comment events. */
export const commentCursorAt = (designId: string, seq: number) => encodeCursor(cursorTag(designId), [seq]);

/**
 * The comment events of one design for one subscriber, in order with no gap and no duplicate [CM10],
 * as designChanged does with revisions (R1-R3, R6): the design's channel is subscribed and confirmed
 * first, then the log after `after` is replayed, then live events follow, those already sent
 * dropped and any gap filled from the log. Events that can change access make the stream check it
 * again: deletion completes it, any other loss ends it with NOT_FOUND [CM11].
 */
export async function commentEvents(
  ctx: ServiceContext,
  designId: string,
  after?: string | null,
): Promise<AsyncIterableIterator<CommentEventMessage>> {
  const afterSeq = decodeCursor(cursorTag(designId), after, [cursorPart.int])?.[0] ?? null;
  const stream = new CommentEventStream(ctx, designId);
  try {
    await stream.listen();
  } catch (error) {
    await stream.return();
    await startSeq(ctx, designId, afterSeq);
    throw new DesignError(
      ErrorCode.ServiceUnavailable,
      `Live events are unavailable for a moment (${(error as Error).message}); subscribe again`,
    );
  }
  try {
    stream.start(await startSeq(ctx, designId, afterSeq), afterSeq !== null);
  } catch (error) {
    await stream.return();
    throw error;
  }
  return stream;
}

/** Where the stream starts: after the cursor, or after the last event so far; NOT_FOUND when the caller may not read the design. */
async function startSeq(ctx: ServiceContext, designId: string, afterSeq: number | null): Promise<number> {
  if ((await readableRevision(ctx, designId)) === null) throw notFound('Design');
  const last = await lastCommentSeq(ctx.db.manager, designId);
  if (afterSeq === null) return last;
  if (afterSeq > last) throw badInput('after', 'is ahead of the design’s comment events');
  return afterSeq;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** One subscriber's stream: arrivals queue in `inbox`, `advance()` judges them one at a time, in order. */
class CommentEventStream implements AsyncIterableIterator<CommentEventMessage>, EventReceiver {
  private listening = false;
  private readonly inbox: BusMessage[] = [];
  private readonly outbox: CommentEventMessage[] = [];
  private waiting: ((result: Promise<IteratorResult<CommentEventMessage>>) => void) | undefined;
  /** The number of the last event sent. */
  private last = 0;
  private replaying = false;
  private finishing = false;
  private failure: unknown;
  private ended = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly designId: string,
  ) {}

  listen(): Promise<void> {
    this.listening = true;
    return this.ctx.events.listen(this.designId, this);
  }

  start(after: number, replay: boolean) {
    this.last = after;
    this.replaying = replay;
  }

  receive(message: BusMessage) {
    if (this.ended || this.finishing) return;
    this.inbox.push(message);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(this.advance());
  }

  next(): Promise<IteratorResult<CommentEventMessage>> {
    return this.advance();
  }

  return(): Promise<IteratorResult<CommentEventMessage>> {
    this.close();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<CommentEventMessage>> {
    this.close();
    return Promise.reject(error as Error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private async advance(): Promise<IteratorResult<CommentEventMessage>> {
    try {
      for (;;) {
        if (this.ended) return DONE;
        const judged = this.outbox.shift();
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
        const message = this.inbox.shift();
        if (!message) return new Promise((resolve) => (this.waiting = resolve));
        await this.judge(message);
      }
    } catch (error) {
      this.close();
      throw error;
    }
  }

  private close() {
    this.ended = true;
    this.stopListening();
    this.inbox.length = 0;
    this.outbox.length = 0;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(Promise.resolve(DONE));
  }

  private stopListening() {
    if (!this.listening) return;
    this.listening = false;
    this.ctx.events.unlisten(this.designId, this);
  }

  private async judge(message: BusMessage) {
    if (isCommentEvent(message)) {
      if (message.seq <= this.last) return;
      if (message.seq > this.last + 1) await this.fromLog(message.seq - 1);
      this.deliver(message);
      return;
    }
    if (isPresenceMessage(message)) return;
    // Redis came back after losing events, or access may have changed: check, and catch up from the log.
    if (message.resync || ACCESS_EVENTS.has(message.type)) {
      if (message.type === DesignEventType.DESIGN_DELETED && !message.resync) return this.finish();
      if ((await readableRevision(this.ctx, this.designId)) === null) return this.finish(notFound('Design'));
      if (message.resync) await this.fromLog();
    }
  }

  /** The log after the last event sent (up to `toSeq`). */
  private async fromLog(toSeq?: number) {
    for (;;) {
      const events = await commentEventsAfter(this.ctx.db.manager, this.designId, this.last, REPLAY_BATCH, toSeq);
      for (const event of events) this.deliver(event);
      if (events.length < REPLAY_BATCH) return;
    }
  }

  private deliver(event: CommentEventMessage) {
    if (this.ended || this.finishing || event.seq <= this.last) return;
    this.last = event.seq;
    this.outbox.push(event);
  }

  /** Nothing judged from now on is sent; what was judged before came before the loss of access and goes out first, then the stream completes, or fails with `failure`. */
  private finish(failure?: unknown) {
    this.finishing = true;
    this.failure = failure;
    this.stopListening();
  }
}
