import type { Client } from 'graphql-ws';
import type { Gateway } from './gateway.js';

/**
 * A subscription that is made again (on a new socket) a second after it breaks, for streams that
 * have no replay (presence, comment events): `onStart` runs at each start so that the caller can
 * read the current state again and miss nothing in between.
 */
export function resubscribe<T>(
  gateway: Gateway,
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onStart: () => void,
): () => void {
  let stopped = false;
  let unsubscribe: (() => void) | null = null;
  let client: Client | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const start = () => {
    if (stopped) return;
    onStart();
    client = gateway.socket();
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: ({ data }) => data && onData(data),
        error: () => {
          if (client) gateway.release(client);
          client = null;
          timer = setTimeout(start, 1000);
        },
        complete: () => undefined,
      },
    );
  };
  start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe?.();
    if (client) gateway.release(client);
  };
}
