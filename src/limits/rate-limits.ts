import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Viewer } from '../auth/viewer';
import type { RateLimits } from '../config';
import type { Tier } from '../domain/tier';
import { DesignError, ErrorCode } from '../errors/design-error';

/** Root fields that start a render or an export: charged to the renders budget of the caller's tier as well. */
const RENDER_FIELDS = new Set(['requestRender', 'exportDesign', 'retryExport']);

type Budget = 'reads' | 'anonymousReads' | 'mutations' | `renders:${Tier}`;

const SETTING: Record<Budget, string> = {
  reads: 'RATE_LIMIT_READS',
  anonymousReads: 'RATE_LIMIT_ANONYMOUS_READS',
  mutations: 'RATE_LIMIT_MUTATIONS',
  'renders:free': 'RATE_LIMIT_RENDERS_FREE',
  'renders:pro': 'RATE_LIMIT_RENDERS_PRO',
  'renders:enterprise': 'RATE_LIMIT_RENDERS_ENTERPRISE',
};

/** The charges of one operation: one point to its kind's budget, one per render or export it starts. */
function chargesOf(operation: OperationDefinitionNode, viewer: Viewer): [Budget, number][] {
  if (operation.operation !== 'mutation') return [[viewer ? 'reads' : 'anonymousReads', 1]];
  const renders = operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && RENDER_FIELDS.has(s.name.value)).length;
  const charges: [Budget, number][] = [['mutations', 1]];
  if (renders && viewer) charges.push([`renders:${viewer.tier}`, renders]);
  return charges;
}

/**
 * Per-caller budgets shared by every replica through Redis (rate-limiter-flexible): reads, mutations
 * and renders/exports by tier per signed-in user; reads per address for anonymous callers. While Redis
 * is away each replica counts in memory instead, so that the limits hold, per replica, rather than
 * every request failing.
 */
export function createRateLimits(redis: Redis, limits: RateLimits) {
  const limiters = new Map<Budget, RateLimiterAbstract>();
  const limiterFor = (budget: Budget) => {
    let limiter = limiters.get(budget);
    if (!limiter) {
      const { points, duration } = budgetOf(limits, budget);
      limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `rate:${budget}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `rate:${budget}`, points, duration }),
      });
      limiters.set(budget, limiter);
    }
    return limiter;
  };
  return {
    /** Charges the operation to the caller; the RATE_LIMITED error of the first budget it exceeds, or null. */
    async take(
      document: DocumentNode,
      operationName: string | null | undefined,
      viewer: Viewer,
      address: string,
    ): Promise<DesignError | null> {
      if (!limits.enabled) return null;
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
      );
      if (!operation) return null;
      const caller = viewer ? `user:${viewer.userId}` : `address:${address}`;
      for (const [budget, points] of chargesOf(operation, viewer)) {
        try {
          await limiterFor(budget).consume(caller, points);
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const { points: max, duration } = budgetOf(limits, budget);
          return new DesignError(ErrorCode.RateLimited, `More than ${max} per ${duration} s (${SETTING[budget]}): try again later`, {
            retryAfterMs: rejection.msBeforeNext,
            limit: SETTING[budget],
          });
        }
      }
      return null;
    },
  };
}

function budgetOf(limits: RateLimits, budget: Budget): { points: number; duration: number } {
  if (budget.startsWith('renders:')) return { points: limits.renders[budget.slice('renders:'.length) as Tier], duration: 60 };
  return { points: limits[budget as 'reads' | 'anonymousReads' | 'mutations'], duration: 10 };
}

export type RateLimitGuard = ReturnType<typeof createRateLimits>;
