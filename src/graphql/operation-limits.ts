import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  Kind,
  validate,
  visit,
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

/** The arguments the estimator reads, and `if` of @skip and @include: the only ways variables move the cost. */
const FIRST = 'first';
const REPRESENTATIONS = 'representations';
const COST_ARGUMENTS = new Set([FIRST, REPRESENTATIONS, 'if']);

/** The variables an operation's cost can depend on: those passed straight to a cost argument. */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (COST_ARGUMENTS.has(node.name.value) && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
    },
  });
  return [...names].sort();
}

/**
 * Each field costs its weight plus its children, times how many it can return: `first` where the
 * field pages, the representations given to `_entities`, the layer limit for a design's layers and
 * groups, `listBound` for any other list of objects (a group's layers among them). Edges of a connection are already counted by
 * the connection's `first`.
 */
function listAwareEstimator(listBound: number, layerBound: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    const weight = FIELD_WEIGHTS[`${type.name}.${field.name}`] ?? 1;
    if (typeof args[FIRST] === 'number') return weight + Math.max(args[FIRST], 0) * childComplexity;
    if (Array.isArray(args[REPRESENTATIONS])) return weight + args[REPRESENTATIONS].length * childComplexity;
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
  const shapeOf = (document: DocumentNode) => {
    const [shape] = validate(schema, document, rules);
    return shape ? (shape.originalError as DesignError) : null;
  };
  /** The cost verdict, or undefined when the variables do not fit the operation (execution reports that, with the field named). */
  const costOf = (document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string | null) => {
    let cost: number;
    try {
      cost = getComplexity({ schema, query: document, variables: variables ?? {}, operationName: operationName ?? undefined, estimators });
    } catch {
      return undefined;
    }
    return cost > limits.maxCost ? queryTooComplex('cost', limits.maxCost, cost) : null;
  };
  // Clients send the same few operations: Apollo keeps one parsed document per text, so the verdicts are
  // kept on it, the shape's once and the cost's per values of the variables it can depend on (an edit's
  // new values do not count; small ones only).
  const verdicts = new WeakMap<
    DocumentNode,
    { shape: DesignError | null; costVariables: string[]; costs: Map<string, DesignError | null> }
  >();
  return {
    check(document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string | null): DesignError | null {
      let kept = verdicts.get(document);
      if (!kept) verdicts.set(document, (kept = { shape: shapeOf(document), costVariables: costVariables(document), costs: new Map() }));
      if (kept.shape) return kept.shape;
      const key = JSON.stringify([operationName ?? null, kept.costVariables.map((name) => variables?.[name] ?? null)]);
      const memo = key.length <= MEMO_MAX_VARIABLES;
      if (memo && kept.costs.has(key)) return kept.costs.get(key)!;
      const verdict = costOf(document, variables, operationName);
      // Not kept when the variables did not fit: the same cost variables with the others fixed may cost more.
      if (verdict === undefined) return null;
      if (memo) {
        if (kept.costs.size >= MEMO_PER_DOCUMENT) kept.costs.delete(kept.costs.keys().next().value!);
        kept.costs.set(key, verdict);
      }
      return verdict;
    },
  };
}

/** Verdicts kept per document, and the largest variables (as JSON) one is kept for. */
const MEMO_PER_DOCUMENT = 200;
const MEMO_MAX_VARIABLES = 1024;

export type OperationLimits = ReturnType<typeof createOperationLimits>;
