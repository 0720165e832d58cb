import type { ServiceContext } from '../../context';
import { findReadableRevisions } from '../../repositories/design.repository';

/**
 * The current revision of each design the caller may read, in one statement: what an answer kept
 * for these designs is checked against before it is served again (src/http/answer-cache.ts).
 */
export function readableRevisions(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, number>> {
  return findReadableRevisions(ctx.manager, ids, ctx.viewer?.userId ?? null);
}
