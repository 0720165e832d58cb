import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { TokenVerifier } from '../auth/tokens';
import type { Viewer } from '../auth/viewer';

/**
 * The viewer of a graphql-ws connection, from `connectionParams.authorization`, else from the upgrade
 * request's Authorization header (as routers forward it). A bad token closes
 * the socket with 4403 and the reason, in production too: a throw from onConnect would close with
 * 4500 (and, in production, no reason) and log an "internal error" that is only a client's mistake.
 */
export async function connectionViewer(
  tokens: TokenVerifier,
  ctx: {
    connectionParams?: Readonly<Record<string, unknown>>;
    extra: { socket: WebSocket; headers?: Readonly<Record<string, string | string[] | undefined>> };
  },
): Promise<{ viewer: Viewer } | false> {
  const authorization = ctx.connectionParams?.authorization ?? ctx.extra.headers?.authorization;
  try {
    if (authorization !== undefined && typeof authorization !== 'string') throw new Error('Invalid token: authorization must be a string');
    return { viewer: await tokens.viewerFrom(authorization) };
  } catch (error) {
    closeWith(ctx.extra.socket, CloseCode.Forbidden, (error as Error).message);
    return false;
  }
}

/** A close reason is at most 123 bytes. */
export function closeWith(socket: WebSocket, code: number, reason: string) {
  socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
}
