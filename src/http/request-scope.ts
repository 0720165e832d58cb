import type { NextFunction, Request, Response } from 'express';
import { logger } from '../logger';
import { inRequest, requestIdFrom } from '../observability/request-context';

/** Probes and scrapes, too frequent and too dull for the access log. */
const UNLOGGED = new Set(['/health', '/ready', '/metrics']);

/**
 * Gives the request its id (answered in `x-request-id`) for every log line written while it is
 * handled, and writes its access log line when the answer has gone: method, path, status, duration,
 * operation.
 */
export function requestScope(req: Request, res: Response, next: NextFunction): void {
  const context: { requestId: string; operation?: string } = { requestId: requestIdFrom(req.headers) };
  res.setHeader('x-request-id', context.requestId);
  // Read now: a router that mounts a path rewrites req.url for what it runs.
  const { method, path } = req;
  if (!UNLOGGED.has(path)) {
    const started = performance.now();
    res.once('finish', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      logger.info({ ...context, method, path, status: res.statusCode, ms }, 'request');
    });
  }
  inRequest(context, next);
}
