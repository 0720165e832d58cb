import type { ServiceContext } from '../../context';
import type { BusMessage, EventReceiver } from '../../events/event-bus';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One subscriber's ordered stream of a design's channel (its changes, its comments' events), written
 * as a plain iterator rather than async generators: thousands of idle subscriptions each park here,
 * and a parked generator chain (frames, requests, wrappers, queues and promises) costs several KB
 * where this object and one pending promise do. Messages arrive from the event bus into `inbox`;
 * `advance()` hands them to the subclass's `judge` one at a time, in order (dropping duplicates,
 * filling gaps from its log, checking access), which `push`es what the subscriber is to get.
 */
export abstract class OrderedStream<Out> implements AsyncIterableIterator<Out>, EventReceiver {
  private listening = false;
  /** Arrived from the bus, not judged yet; made on the first arrival. */
  private inbox: BusMessage[] | undefined;
  /** Judged, to be handed out in order. */
  private outbox: Out[] | undefined;
  /** The caller of `next()` while nothing is left to judge: the next arrival answers it. */
  private waiting: ((result: Promise<IteratorResult<Out>> | IteratorResult<Out>) => void) | undefined;
  /** The position (revision, event number) of the last one sent. */
  protected last = 0;
  /** The log after `last` is still to be replayed. */
  private replaying = false;
  /** The stream decided to end once `outbox` is out: the design is gone (or, with `failure`, unreadable). */
  protected finishing = false;
  private failure: unknown;
  /** The subscriber left. */
  protected ended = false;

  constructor(
    protected readonly ctx: ServiceContext,
    protected readonly designId: string,
  ) {}

  /** Whether a message of the channel is for this stream at all. */
  protected abstract wants(message: BusMessage): boolean;
  /** What one arrival means: `push` what is to be sent, `finish` when the stream must end. */
  protected abstract judge(message: BusMessage): Promise<void>;
  /** The log after `last`, judged as live arrivals are. */
  protected abstract fromLog(): Promise<void>;

  /** Resolves once Redis has confirmed the design's channel. */
  listen(): Promise<void> {
    this.listening = true;
    return this.ctx.events.listen(this.designId, this);
  }

  /** From `after`, replaying the log after it first if asked to (without, the log has nothing newer yet). */
  start(after: number, replay: boolean) {
    this.last = after;
    this.replaying = replay;
  }

  receive(message: BusMessage) {
    if (this.ended || this.finishing || !this.wants(message)) return;
    (this.inbox ??= []).push(message);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(this.advance());
  }

  next(): Promise<IteratorResult<Out>> {
    return this.advance();
  }

  return(): Promise<IteratorResult<Out>> {
    this.close();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<Out>> {
    this.close();
    return Promise.reject(error as Error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  protected push(out: Out) {
    (this.outbox ??= []).push(out);
  }

  /** Nothing judged from now on is sent: what was judged before goes out first, then the stream completes, or fails with `failure`. */
  protected finish(failure?: unknown) {
    this.finishing = true;
    this.failure = failure;
    this.stopListening();
  }

  private async advance(): Promise<IteratorResult<Out>> {
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
}
