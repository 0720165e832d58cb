import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { logger } from '../logger';
import { outageIn } from './outage';

/** Every error a caller can see. Add a code here and the switch below will not compile until mapped. */
export enum ErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  BadUserInput = 'BAD_USER_INPUT',
  Conflict = 'CONFLICT',
  LimitExceeded = 'LIMIT_EXCEEDED',
  LayerLocked = 'LAYER_LOCKED',
  CatalogItemUnavailable = 'CATALOG_ITEM_UNAVAILABLE',
  IncompatibleItem = 'INCOMPATIBLE_ITEM',
  UpstreamUnavailable = 'UPSTREAM_UNAVAILABLE',
  /** Our own PostgreSQL or Redis is away: try again shortly (`retryable`). */
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  /** Deeper, wider or costlier than the operation limits allow; `limit`, `max` and `found` say which. */
  QueryTooComplex = 'QUERY_TOO_COMPLEX',
  /** Over the caller's budget; `retryAfterMs` says when to try again. */
  RateLimited = 'RATE_LIMITED',
}

export class DesignError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DesignError';
  }
}

export const notFound = (what: string) => new DesignError(ErrorCode.NotFound, `${what} not found`);

/**
 * A client-chosen id (createDesign, addLayer) that cannot be used: taken by anything but the
 * caller's own first attempt with the same input. One answer whatever took it (the caller's own
 * object with other input, anyone's object, readable or not, deleted or removed or not), so that
 * the answer says nothing about whose the id is or whether its object still exists. That the id is
 * taken at all cannot be hidden (ids are primary keys, and a client id must be the object's id);
 * ids are random UUIDs, so only a caller who already saw the id can hit it, and learns only that.
 */
export const idTaken = () =>
  new DesignError(ErrorCode.Conflict, 'id: already used; a retry must repeat the same input, anything else needs a new id', {
    field: 'id',
  });

export type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

const LIMIT_SETTING: Record<LimitName, string> = {
  depth: 'QUERY_MAX_DEPTH',
  aliases: 'QUERY_MAX_ALIASES',
  directives: 'QUERY_MAX_DIRECTIVES',
  tokens: 'QUERY_MAX_TOKENS',
  cost: 'QUERY_MAX_COST',
};

export function queryTooComplex(limit: LimitName, max: number, found: number | null): DesignError {
  const over = found === null ? `over the limit of ${max}` : `${found}, over the limit of ${max}`;
  return new DesignError(ErrorCode.QueryTooComplex, `The operation's ${limit} is ${over} (${LIMIT_SETTING[limit]})`, {
    limit,
    max,
    ...(found === null ? {} : { found }),
  });
}

/** graphql-js's own words when a text passes the parser's maxTokens ("more that" in graphql 16). */
const TOKENS_EXCEEDED = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/** graphql-js stops coercing variables after 50 errors with this error of its own, which Apollo leaves without a code. */
const TOO_MANY_VARIABLE_ERRORS = /^Too many errors processing variables/;

/** "Did you mean …?" names parts of the schema: kept out where introspection is. */
const SUGGESTION = / ?Did you mean [^?]+\?/g;

export const badInput = (field: string, message: string) => new DesignError(ErrorCode.BadUserInput, `${field}: ${message}`, { field });

/** The HTTP-independent GraphQL code of each error code; exhaustive on purpose. */
export function graphqlCode(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.Unauthenticated:
    case ErrorCode.Forbidden:
    case ErrorCode.NotFound:
    case ErrorCode.BadUserInput:
    case ErrorCode.Conflict:
    case ErrorCode.LimitExceeded:
    case ErrorCode.LayerLocked:
    case ErrorCode.CatalogItemUnavailable:
    case ErrorCode.IncompatibleItem:
    case ErrorCode.UpstreamUnavailable:
    case ErrorCode.ServiceUnavailable:
    case ErrorCode.QueryTooComplex:
    case ErrorCode.RateLimited:
      return code;
    default: {
      const unmapped: never = code;
      return unmapped;
    }
  }
}

/** Codes that say "the same request may succeed in a moment": they carry `retryable: true`. */
const RETRYABLE = new Set<ErrorCode>([ErrorCode.ServiceUnavailable, ErrorCode.UpstreamUnavailable]);

const UNAVAILABLE = 'The service is unavailable for a moment; try again';

/** A connection-level failure of PostgreSQL or Redis as the caller sees it: the cause only where internals may show. */
function unavailable(cause: Error, exposeInternals: boolean): DesignError {
  logger.warn({ err: cause }, 'service unavailable');
  return new DesignError(ErrorCode.ServiceUnavailable, exposeInternals ? `${UNAVAILABLE} (${cause.message})` : UNAVAILABLE);
}

const GRAPHQL_VALIDATION_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * Shapes every error leaving the service: our DesignErrors keep their code and details, GraphQL's own
 * request errors pass through, PostgreSQL or Redis away (src/errors/outage.ts) becomes a retryable
 * SERVICE_UNAVAILABLE, and anything else INTERNAL_SERVER_ERROR; details stay out of production responses.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: { exposeInternals: boolean; suggestions: boolean },
): GraphQLFormattedError {
  const { exposeInternals } = options;
  const tokens = TOKENS_EXCEEDED.exec(formatted.message);
  const raised = tokens
    ? queryTooComplex('tokens', Number(tokens[1]), null)
    : error instanceof GraphQLError
      ? (error.originalError ?? error)
      : error;
  const outage = raised instanceof DesignError ? null : outageIn(raised);
  const original = outage ? unavailable(outage, exposeInternals) : raised;
  if (original instanceof DesignError) {
    return {
      ...formatted,
      message: original.message,
      extensions: { ...original.details, code: graphqlCode(original.code), ...(RETRYABLE.has(original.code) ? { retryable: true } : {}) },
    };
  }
  if (TOO_MANY_VARIABLE_ERRORS.test(formatted.message)) return { ...formatted, extensions: { code: ErrorCode.BadUserInput } };
  const code = formatted.extensions?.code;
  const shown = options.suggestions ? formatted : { ...formatted, message: formatted.message.replace(SUGGESTION, '') };
  if (typeof code === 'string' && GRAPHQL_VALIDATION_CODES.has(code)) return shown;
  if (original instanceof GraphQLError && !(original as GraphQLError).originalError) return shown;

  logger.error({ err: original }, 'unexpected error');
  return {
    message: exposeInternals && original instanceof Error ? original.message : 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      ...(exposeInternals && original instanceof Error ? { stacktrace: original.stack?.split('\n') } : {}),
    },
  };
}

/** The HTTP status of an error code where HTTP carries it (the REST API, src/http/rest); exhaustive on purpose. */
export function httpStatusOf(code: string | undefined): number {
  if (code && GRAPHQL_VALIDATION_CODES.has(code)) return 400;
  const known = Object.values(ErrorCode).includes(code as ErrorCode) ? (code as ErrorCode) : null;
  if (!known) return 500;
  switch (known) {
    case ErrorCode.BadUserInput:
    case ErrorCode.QueryTooComplex:
      return 400;
    case ErrorCode.Unauthenticated:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.LimitExceeded:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.Conflict:
      return 409;
    case ErrorCode.CatalogItemUnavailable:
    case ErrorCode.IncompatibleItem:
      return 422;
    case ErrorCode.LayerLocked:
      return 423;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.UpstreamUnavailable:
    case ErrorCode.ServiceUnavailable:
      return 503;
    default: {
      const unmapped: never = known;
      return unmapped;
    }
  }
}
