import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { Viewer } from '../auth/viewer';
import type { Config } from '../config';
import { ErrorCode, type DesignError } from '../errors/design-error';
import { createOperationLimits } from '../graphql/operation-limits';
import { createRateLimits } from '../limits/rate-limits';
import { checkGatewayOnly } from './gateway-only';

/** One operation as it arrives, whichever way: what the checks need to know of it and of its caller. */
export interface OperationCall {
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | null | undefined;
  viewer: Viewer;
  /** Where anonymous callers are counted. */
  address: string;
  /** The `x-gateway-secret` header as sent. */
  gatewaySecret: string | string[] | null | undefined;
}

/**
 * The checks every operation passes before it runs, over HTTP and graphql-ws alike: the operation
 * limits, the gateway's own fields, then the caller's rate budget (charged only for operations that
 * may run). The first refusal, or null.
 */
export function createOperationGuard(deps: { schema: GraphQLSchema; redis: Redis; config: Config }) {
  const limits = createOperationLimits(deps.schema, deps.config.queryLimits);
  const rates = createRateLimits(deps.redis, deps.config.rateLimits);
  return {
    async check(call: OperationCall): Promise<DesignError | null> {
      return (
        limits.check(call.document, call.variables, call.operationName) ??
        checkGatewayOnly(call.document, call.operationName, call.gatewaySecret ?? undefined, deps.config.gatewaySecret) ??
        (await rates.take(call.document, call.operationName, call.viewer, call.address))
      );
    },
  };
}

export type OperationGuard = ReturnType<typeof createOperationGuard>;

/** The HTTP status of a refusal. */
export const refusalStatus = (error: DesignError): number =>
  error.code === ErrorCode.RateLimited ? 429 : error.code === ErrorCode.Forbidden ? 403 : 400;
