import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/**
 * Counts, from now on, the responses each of the server's connections still has to send, and
 * returns its graceful close: stop accepting connections, end each connection as soon as it has
 * nothing left to send, and resolve once all are closed. WebSockets must be closed before.
 *
 * Node's own server.close() (Apollo's drain plugin calls it) is not graceful enough: from Node 19 on
 * it also destroys the connections it deems idle, among them one whose response has been ended but
 * is still being written to a slow reader, and that answer is cut off (a 7 MB one was). Here the
 * listener is closed at the net level, and a response counts as sent once it is flushed ('finish').
 */
export function gracefulClose(server: Server): () => Promise<void> {
  const sending = new Map<Socket, number>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    sending.set(socket, 0);
    socket.once('close', () => sending.delete(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    sending.set(socket, (sending.get(socket) ?? 0) + 1);
    res.once('finish', () => {
      const left = (sending.get(socket) ?? 1) - 1;
      sending.set(socket, left);
      if (closing && left === 0) socket.end();
    });
  });
  return async () => {
    closing = true;
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    for (const [socket, left] of sending) if (left === 0) socket.end();
    await closed;
  };
}
