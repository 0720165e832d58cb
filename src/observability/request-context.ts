import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line of a request or a job carries. */
export interface RequestContext {
  requestId: string;
  /** The GraphQL operation's name once known, or the job's name. */
  operation?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const currentRequest = (): RequestContext | undefined => storage.getStore();

export function inRequest<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** A caller's id is kept when it looks like one: short, and nothing a log line could be forged with. */
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/**
 * The request id: the caller's `x-request-id`, else the trace id of a W3C `traceparent` (so logs and
 * traces meet), else a new one.
 */
export function requestIdFrom(headers: Readonly<Record<string, string | string[] | undefined>>): string {
  const given = headers['x-request-id'];
  if (typeof given === 'string' && ACCEPTABLE_ID.test(given)) return given;
  const trace =
    typeof headers.traceparent === 'string' ? /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(headers.traceparent) : null;
  if (trace && !/^0+$/.test(trace[1]!)) return trace[1]!;
  return randomUUID();
}
