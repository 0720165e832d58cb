import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/**
 * graphql-jit's errors leave `extensions` undefined where graphql-js's are `{}`, and Apollo Server
 * reads `extensions.code` of every error: as they were, each became a bare "Internal server error".
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions ?? {},
  });
  return Object.assign(copy, { locations: error.locations });
}

/** Compiled queries kept per document, and the most operation names one document is compiled for. */
const MAX_OPERATIONS_PER_DOCUMENT = 10;

/**
 * Queries and mutations run by graphql-jit instead of graphql-js's interpreter: each operation is
 * compiled once into a function that resolves its fields and serializes its leaves, which is what a
 * design read spends most of its time on (about 750 fields). Apollo Server lets an executor in only
 * through its gateway interface; this "gateway" serves the one local schema, so parsing, validation,
 * plugins and error formatting stay Apollo's. Subscriptions do not come this way (graphql-ws).
 */
export function jitGateway(schema: GraphQLSchema): Gateway {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();
  const compiledFor = (document: DocumentNode, operationName: string | null) => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let query = byName.get(key);
    if (!query) {
      query = compileQuery(schema, document, operationName ?? undefined);
      if (byName.size >= MAX_OPERATIONS_PER_DOCUMENT) byName.clear();
      byName.set(key, query);
    }
    return query;
  };
  return {
    async load() {
      return {
        async executor(request) {
          const query = compiledFor(request.document, request.operationName);
          if (!isCompiledQuery(query)) return query;
          const variables = request.request.variables ?? {};
          // graphql-js judges the variables, as it would have: its errors name the variable and Apollo
          // answers them BAD_USER_INPUT; graphql-jit's own have no code and name inner fields as variables.
          const judged = getVariableValues(schema, request.operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
          if (judged.errors) return { errors: judged.errors };
          const result = await query.query(undefined, request.context, variables);
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
