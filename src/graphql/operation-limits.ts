import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { QueryLimits } from '../config';
import { queryTooComplex, type DesignError, type LimitName } from '../errors/design-error';

/**
 * What a field costs beyond 1 per field: reads that do far more work than their size says.
 * designDiff loads two versions and diffs them; _entities fans out to one read per representation.
 */
const FIELD_WEIGHTS: Record<string, number> = {
  'Query.designDiff': 50,
};

/**
 * Each field costs its weight plus its children, times how many it can return: `first` where the
 * field pages, the representations given to `_entities`, the layer limit for a design's layers and
 * groups, `listBound` for any other list of objects (a group's layers among them). Edges of a connection are already counted by
 * the connection's `first`.
 */
function listAwareEstimator(listBound: number, layerBound: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    const weight = FIELD_WEIGHTS[`${type.name}.${field.name}`] ?? 1;
    if (typeof args.first === 'number') return weight + Math.max(args.first, 0) * childComplexity;
    if (Array.isArray(args.representations)) return weight + args.representations.length * childComplexity;
    if (!isListType(getNullableType(field.type)) || childComplexity === 0) return weight + childComplexity;
    if (type.name.endsWith('Connection') && field.name === 'edges') return weight + childComplexity;
    // A group's layers are some of its design's: counting each group as holding all of them would square the bound.
    const named = getNamedType(field.type).name;
    const designWide = type.name !== 'LayerGroup' && (named === 'Layer' || named === 'LayerGroup' || named === 'LayerChange');
    const bound = designWide ? layerBound : listBound;
    return weight + bound * childComplexity;
  };
}

/** The tokens limit is graphql-js's own parse option: the parser stops counting there (formatError names it). */
export const parseOptions = (limits: QueryLimits) => ({ maxTokens: limits.maxTokens });

/** graphql-armor's rules, told to report through the callback instead of with their own message. */
type ArmorRule = (options: {
  n: number;
  exposeLimits: boolean;
  propagateOnRejection: boolean;
  onReject: ((context: ValidationContext | null, error: GraphQLError) => void)[];
}) => ValidationRule;

/**
 * The shape limits of an operation every way in shares (HTTP, graphql-ws, and whatever comes next):
 * depth, aliases and directives by graphql-armor's rules, cost by graphql-query-complexity with the
 * estimator above. The first limit broken, or null.
 */
export function createOperationLimits(schema: GraphQLSchema, limits: QueryLimits) {
  const estimators = [listAwareEstimator(limits.listBound, limits.layerBound)];
  const armor = (rule: ArmorRule, limit: LimitName, max: number): ValidationRule =>
    rule({
      n: max,
      exposeLimits: true,
      propagateOnRejection: false,
      onReject: [
        (context, error) => {
          const found = /found (\d+)/.exec(error.message);
          context?.reportError(new GraphQLError(limit, { originalError: queryTooComplex(limit, max, found ? Number(found[1]) : null) }));
        },
      ],
    });
  const rules = [
    armor(maxDepthRule, 'depth', limits.maxDepth),
    armor(maxAliasesRule, 'aliases', limits.maxAliases),
    armor(maxDirectivesRule, 'directives', limits.maxDirectives),
  ];
  const measure = (document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string | null) => {
    const [shape] = validate(schema, document, rules);
    if (shape) return shape.originalError as DesignError;
    let cost: number;
    try {
      cost = getComplexity({ schema, query: document, variables: variables ?? {}, operationName: operationName ?? undefined, estimators });
    } catch {
      // Variables that do not fit the operation: execution reports that, with the field named.
      return null;
    }
    return cost > limits.maxCost ? queryTooComplex('cost', limits.maxCost, cost) : null;
  };
  // Clients send the same few operations with the same few variables: Apollo keeps one parsed document
  // per text, so the verdict is kept on it, per variables (small ones only; the cost may depend on them).
  const verdicts = new WeakMap<DocumentNode, Map<string, DesignError | null>>();
  return {
    check(document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string | null): DesignError | null {
      const json = JSON.stringify([operationName ?? null, variables ?? null]);
      if (json.length > MEMO_MAX_VARIABLES) return measure(document, variables, operationName);
      let byVariables = verdicts.get(document);
      if (!byVariables) verdicts.set(document, (byVariables = new Map()));
      if (byVariables.has(json)) return byVariables.get(json)!;
      const verdict = measure(document, variables, operationName);
      if (byVariables.size >= MEMO_PER_DOCUMENT) byVariables.delete(byVariables.keys().next().value!);
      byVariables.set(json, verdict);
      return verdict;
    },
  };
}

/** Verdicts kept per document, and the largest variables (as JSON) one is kept for. */
const MEMO_PER_DOCUMENT = 200;
const MEMO_MAX_VARIABLES = 1024;

export type OperationLimits = ReturnType<typeof createOperationLimits>;
