import type { ApolloServerPlugin } from '@apollo/server';
import { apiResponseTime, graphqlErrors, graphqlRequests } from '../observability/metrics';
import { currentRequest } from '../observability/request-context';
import { nameOperationSpan } from '../observability/tracing';

/** Operation names become label values: past this many distinct ones, the rest count as "other". */
const MAX_OPERATION_NAMES = 200;
const named = new Set<string>();

/** The label an operation is counted under: its name once it has passed validation, else "anonymous". */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (named.has(name)) return name;
  if (named.size >= MAX_OPERATION_NAMES) return 'other';
  named.add(name);
  return name;
}

/** Counts operations and errors, and times each answer by operation name (`api_response_time_ms`). */
export const measureOperations: ApolloServerPlugin = {
  async requestDidStart() {
    graphqlRequests.inc();
    const start = performance.now();
    let operation = 'invalid';
    return {
      async didResolveOperation({ operation: resolved, operationName }) {
        operation = operationLabel(operationName ?? resolved?.name?.value);
        const request = currentRequest();
        if (request) request.operation = operation;
        nameOperationSpan(operation, resolved?.operation);
      },
      async didEncounterErrors() {
        graphqlErrors.inc();
      },
      async willSendResponse() {
        apiResponseTime.observe({ operation, transport: 'http' }, performance.now() - start);
      },
    };
  },
};
