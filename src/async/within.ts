/** A service that did not answer within the time its caller gives it: the service is taken to be away. */
export class ServiceTimeoutError extends Error {
  override name = 'ServiceTimeoutError';
}

/**
 * The promise's result, or a ServiceTimeoutError with `message` once `ms` have passed. The promise
 * itself goes on (a late rejection is ignored): callers that must not wait on a service that is away
 * use this.
 */
export async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ServiceTimeoutError(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    promise.catch(() => undefined);
  }
}
