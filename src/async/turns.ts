import { ServiceTimeoutError, within } from './within';

/**
 * First come, first served per key, in this process. PostgreSQL's row locks do not queue fairly: a
 * writer that arrives as the lock is released often takes it before those that waited, so with 16
 * editors on one design some waited 250 ms while half waited under 7. Writers of one design take turns
 * here first, then take the row lock, which is then mostly free. The row lock stays what makes writes
 * safe (and what orders writers of other replicas); a turn only orders them.
 */
export class Turns {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Waits for the turns taken on `key` before this one, or `maxWaitMs` at most (then goes on without
   * them: a turn must never be what a writer waits on forever). Returns the end of this turn.
   */
  async take(key: string, maxWaitMs: number): Promise<() => void> {
    const before = this.tails.get(key);
    let end!: () => void;
    const mine = new Promise<void>((resolve) => (end = resolve));
    const tail = before ? before.then(() => mine) : mine;
    this.tails.set(key, tail);
    const release = () => {
      end();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    if (before)
      await within(before, maxWaitMs, 'turn').catch((error: unknown) => {
        if (!(error instanceof ServiceTimeoutError)) throw error;
      });
    return release;
  }
}
