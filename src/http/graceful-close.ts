import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/**
 * Tracks, from now on, the responses each of the server's connections still has to send, and
 * returns its graceful close: stop accepting connections, tell clients not to reuse theirs
 * (`Connection: close` on every response not begun yet), end each connection as soon as it has
 * nothing left to send, and resolve once all are closed. WebSockets must be closed before.
 *
 * Node's own server.close() (Apollo's drain plugin calls it) is not graceful enough: from Node 19 on
 * it also destroys the connections it deems idle, among them one whose response has been ended but
 * is still being written to a slow reader, and that answer is cut off (a 7 MB one was). Here the
 * listener is closed at the net level, and a response counts as sent once it is flushed ('finish').
 */
export function gracefulClose(server: Server): () => Promise<void> {
  const sending = new Map<Socket, Set<ServerResponse>>();
  let closing = false;
  const lastOne = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  const track = (socket: Socket) => {
    const responses = new Set<ServerResponse>();
    sending.set(socket, responses);
    socket.once('close', () => sending.delete(socket));
    return responses;
  };
  server.on('connection', track);
  server.on('request', (req, res) => {
    const responses = sending.get(req.socket) ?? track(req.socket);
    responses.add(res);
    if (closing) lastOne(res);
    res.once('finish', () => {
      responses.delete(res);
      if (closing && responses.size === 0) req.socket.end();
    });
  });
  return async () => {
    closing = true;
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    for (const [socket, responses] of sending) {
      if (responses.size === 0) socket.end();
      else responses.forEach(lastOne);
    }
    await closed;
  };
}
