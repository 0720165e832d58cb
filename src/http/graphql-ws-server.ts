import { CloseCode, handleProtocols, makeServer, type ConnectionInitMessage, type Disposable, type ServerOptions } from 'graphql-ws';
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { logger } from '../logger';

/** What a connection keeps of its upgrade request: only what the operations need. */
export interface SocketExtra {
  readonly socket: WebSocket;
  readonly address: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * graphql-ws's `useServer` for `ws`, holding less per connection. `useServer` keeps the whole upgrade
 * request (headers, raw headers, streams: about 1.5 KB) for the connection's life, starts a ping
 * timer per socket, and parks an async wrapper per running operation; with thousands of mostly idle
 * sockets that is a good part of their cost. Here the request is read once (the address and the
 * headers named in `keepHeaders`), one timer pings every socket, the wait for ConnectionInit ends with
 * the message, and messages are handed on without a wrapper frame. Otherwise the same: the protocol
 * check, 4408 without ConnectionInit in time, the keep-alive (a socket that has not answered the last
 * ping by the next one is cut), 4500 on an internal error, 1001 on dispose.
 */
export function serveGraphqlWs<P extends ConnectionInitMessage['payload'], E extends Record<PropertyKey, unknown>>(
  options: ServerOptions<P, SocketExtra & Partial<E>>,
  sockets: WebSocketServer,
  { production, keepAliveMs = 12_000, keepHeaders = [] }: { production: boolean; keepAliveMs?: number; keepHeaders?: string[] },
): Disposable {
  // The wait for ConnectionInit is timed here: graphql-ws keeps its timer (the Timeout and its closure)
  // for the connection's whole life, long after the message came.
  const { connectionInitWaitTimeout = 3_000 } = options;
  const initWaits = new Map<WebSocket, NodeJS.Timeout>();
  const initReceived = (socket: WebSocket) => {
    clearTimeout(initWaits.get(socket));
    initWaits.delete(socket);
  };
  const server = makeServer({
    ...options,
    connectionInitWaitTimeout: 0,
    onConnect: (ctx) => {
      initReceived(ctx.extra.socket);
      return options.onConnect?.(ctx);
    },
  });
  sockets.options.handleProtocols = handleProtocols;
  const closeOnError = (socket: WebSocket, error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    socket.close(CloseCode.InternalServerError, production || reason.length > 123 ? 'Internal server error' : reason);
  };

  const awaitingPong = new Set<WebSocket>();
  function onPong(this: WebSocket) {
    awaitingPong.delete(this);
  }
  const keepAlive = setInterval(() => {
    for (const socket of sockets.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (awaitingPong.has(socket)) {
        socket.terminate();
        continue;
      }
      awaitingPong.add(socket);
      socket.ping();
    }
  }, keepAliveMs);
  keepAlive.unref();

  const kept = (request: IncomingMessage) => {
    const headers: Record<string, string | string[] | undefined> = {};
    for (const name of keepHeaders) headers[name] = request.headers[name];
    return headers;
  };

  sockets.once('error', (error) => {
    logger.error({ err: error }, 'websocket server error');
    for (const socket of sockets.clients) closeOnError(socket, error);
  });
  sockets.on('connection', (socket, request) => {
    socket.once('error', (error) => {
      logger.error({ err: error }, 'websocket error');
      closeOnError(socket, error);
    });
    socket.on('pong', onPong);
    if (connectionInitWaitTimeout > 0 && Number.isFinite(connectionInitWaitTimeout)) {
      initWaits.set(
        socket,
        setTimeout(() => {
          initWaits.delete(socket);
          socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
        }, connectionInitWaitTimeout),
      );
    }
    const extra: SocketExtra = { socket, address: request.socket.remoteAddress ?? 'unknown', headers: kept(request) };
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        // The handler's promise lasts as long as an operation it starts (a subscription runs inside it).
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch((error: unknown) => {
              logger.error({ err: error }, 'graphql-ws message handling failed');
              closeOnError(socket, error);
            });
          }),
      },
      extra as SocketExtra & Partial<E>,
    );
    socket.once('close', (code, reason) => {
      awaitingPong.delete(socket);
      initReceived(socket);
      closed(code, String(reason)).catch((error: unknown) => logger.error({ err: error }, 'graphql-ws close handling failed'));
    });
  });

  return {
    async dispose() {
      clearInterval(keepAlive);
      for (const socket of sockets.clients) socket.close(1001, 'Going away');
      sockets.removeAllListeners();
      await new Promise<void>((resolve, reject) => sockets.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
