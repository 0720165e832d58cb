/**
 * `stream`, ending `live` first when the subscriber leaves. The leak this avoids: a generator parked
 * in `for await` over the live events only runs its `finally` at the next event for that design, so
 * the Redis subscription would stay open until then.
 */
export function closeWith<T>(stream: AsyncGenerator<T>, live: { return(): Promise<unknown> }): AsyncIterableIterator<T> {
  const subscription: AsyncIterableIterator<T> = {
    next: () => stream.next(),
    async return(value?: unknown) {
      await live.return();
      return stream.return(value as never);
    },
    async throw(error?: unknown) {
      await live.return();
      return stream.throw(error);
    },
    [Symbol.asyncIterator]: () => subscription,
  };
  return subscription;
}
