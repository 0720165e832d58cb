import type { Disposable } from 'graphql-ws';
import type { WebSocketServer } from 'ws';

/** A client answers a close frame within a round trip; one that has not by then is not going to. */
const CLOSE_GRACE_MS = 1000;

/**
 * graphql-ws's dispose closes every socket with 1001 Going Away and waits for each client to answer;
 * a socket still open after the grace is cut, so that one silent client cannot hold the shutdown.
 */
export async function goingAway(server: Disposable, sockets: WebSocketServer): Promise<void> {
  const cut = setTimeout(() => sockets.clients.forEach((socket) => socket.terminate()), CLOSE_GRACE_MS);
  try {
    await server.dispose();
  } finally {
    clearTimeout(cut);
  }
}
