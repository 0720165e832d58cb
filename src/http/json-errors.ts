import type { ErrorRequestHandler, Request } from 'express';
import { logger } from '../logger';

/** What http-errors (body-parser, the router) put on the errors they make: a status, and whether the message may be shown. */
interface HttpError {
  status?: unknown;
  expose?: unknown;
  message?: unknown;
}

const MEDIA_TYPES = ['application/json', 'application/graphql-response+json'];

/** The media type Apollo Server would answer with: graphql-response+json only when the client prefers it. */
const mediaTypeFor = (req: Request) => req.accepts(MEDIA_TYPES) || MEDIA_TYPES[0]!;

/**
 * The last error handler: what Express meets before Apollo Server runs or outside it (a body over
 * the limit, a body that is not JSON, a path it cannot decode, a route that threw) answers in the
 * GraphQL-over-HTTP error shape, whatever NODE_ENV says. Express's own handler answered an HTML page
 * with the stack and absolute paths outside production.
 */
export const jsonErrors: ErrorRequestHandler = (error: HttpError, req, res, next) => {
  // Too late for another answer: Express's own handler ends the connection.
  if (res.headersSent) return next(error);
  const status = typeof error.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
  const client = status < 500;
  if (!client) logger.error({ err: error, method: req.method, path: req.path }, 'unexpected error');
  const message =
    client && error.expose === true && typeof error.message === 'string' ? error.message : client ? 'Bad request' : 'Internal server error';
  res
    .status(status)
    .type(mediaTypeFor(req))
    .send(JSON.stringify({ errors: [{ message, extensions: { code: client ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] }));
};
