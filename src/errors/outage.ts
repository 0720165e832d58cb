import { ServiceTimeoutError } from '../async/within';

/** Socket errors of a server that is down, restarting, unreachable or not resolvable for a moment. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * SQLSTATEs of a PostgreSQL that is away or full: connection exceptions (class 08), shutting down
 * or starting up (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now) and
 * 53300 too_many_connections.
 */
const POSTGRES_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;

/** What pg and pg-pool say of a connection lost, timed out, or not to be had from a full pool. */
const POSTGRES_CONNECTION =
  /^Connection terminated|^timeout exceeded when trying to connect|encountered a connection error and is not queryable/;

/** What ioredis says while Redis is away: retries used up, or the connection closed with no offline queue. */
const REDIS_CONNECTION = /^Connection is closed|^Stream isn't writeable/;

/** An error's own causes: `cause`, TypeORM's `driverError`, GraphQL's `originalError`, an AggregateError's errors. */
function causesOf(error: object): unknown[] {
  const { cause, driverError, originalError, errors } = error as Record<string, unknown>;
  return [cause, driverError, originalError, ...(Array.isArray(errors) ? errors : [])];
}

function isOutage(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code))) return true;
  if (error instanceof ServiceTimeoutError || error.name === 'MaxRetriesPerRequestError') return true;
  return POSTGRES_CONNECTION.test(error.message) || REDIS_CONNECTION.test(error.message);
}

/**
 * The error in `error`'s chain that says PostgreSQL, Redis or a socket to them failed at the
 * connection level (a request that met it can be tried again as it is), or null for anything else.
 */
export function outageIn(error: unknown, depth = 0): Error | null {
  if (!(error instanceof Error) || depth > 5) return null;
  if (isOutage(error)) return error;
  for (const cause of causesOf(error)) {
    const found = outageIn(cause, depth + 1);
    if (found) return found;
  }
  return null;
}
