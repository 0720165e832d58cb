import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { ServiceContext } from '../context';
import { revisionPlan } from '../graphql/revision-plan';
import { countCache } from '../observability/metrics';
import { readableRevisions } from '../services/access/require-access';

interface Kept {
  /** The designs' revisions read before the answer was executed. */
  revisions: Map<string, number>;
  data: Record<string, unknown>;
  bytes: number;
}

const sameRevisions = (a: Map<string, number>, b: Map<string, number>) =>
  a.size === b.size && [...a].every(([id, revision]) => b.get(id) === revision);

/**
 * Answers to queries made only of fields a design's revision fixes (src/graphql/revision-plan.ts),
 * kept per caller, operation and variables, and served again after one statement has confirmed that
 * the caller may still read each design and that its revision has not moved. The revisions are read
 * before the answer is executed: a change committed in between leaves the kept answer older than
 * the revision it is filed under at worst, never newer, and the next request misses. Every replica
 * checks against PostgreSQL, so a write on another one is seen at once. Errors are never kept.
 */
export function answerCache<C extends ServiceContext>(schema: GraphQLSchema, maxBytes: number): ApolloServerPlugin<C> {
  // Kept answers are objects, several times larger than their JSON: their size is counted as such.
  const kept = new LRUCache<string, Kept>({ maxSize: maxBytes, sizeCalculation: (k) => k.bytes });
  return {
    async requestDidStart() {
      let pending: { key: string; revisions: Map<string, number> } | undefined;
      return {
        async responseForOperation({ document, operation, request, queryHash, contextValue }) {
          if (!document || !operation) return null;
          const plan = revisionPlan(schema, document, operation);
          const ids = plan?.designIds(request.variables ?? {});
          if (!ids) return null;
          // A failed check adds no failure of its own: the normal path runs and answers as it would
          // (SERVICE_UNAVAILABLE while PostgreSQL is away).
          const revisions = await readableRevisions(contextValue, ids).catch(() => null);
          if (!revisions) return null;
          // A design the caller may not read: the normal path gives the answer that says so.
          if (revisions.size !== ids.length) return null;
          const key = [
            contextValue.viewer?.userId ?? '',
            queryHash,
            request.operationName ?? '',
            JSON.stringify(request.variables ?? {}),
          ].join('\n');
          const hit = kept.get(key);
          if (hit && sameRevisions(hit.revisions, revisions)) {
            countCache('answer', true);
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: hit.data } } };
          }
          countCache('answer', false);
          pending = { key, revisions };
          return null;
        },
        async willSendResponse({ response }) {
          if (!pending || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (errors?.length || !data) return;
          const bytes = 4 * JSON.stringify(data).length;
          if (bytes <= maxBytes) kept.set(pending.key, { revisions: pending.revisions, data, bytes });
        },
      };
    },
  };
}
