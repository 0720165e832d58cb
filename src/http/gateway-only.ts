import { createHash, timingSafeEqual } from 'node:crypto';
import { getOperationAST, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { DesignError, ErrorCode } from '../errors/design-error';

/** The federation fields: the gateway's way in (the schema, entity references), not a client's. */
const GATEWAY_FIELDS = new Set(['_service', '_entities']);

export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Refuses an operation that selects `_service` or `_entities` without the gateway's secret (when
 * GATEWAY_SECRET is set), compared in constant time.
 */
export function checkGatewayOnly(
  document: DocumentNode,
  operationName: string | null | undefined,
  header: string | string[] | undefined,
  secret: string | null,
): DesignError | null {
  if (!secret) return null;
  const operation = getOperationAST(document, operationName);
  if (!operation || !selectsGatewayField(document, operation.selectionSet)) return null;
  const given = typeof header === 'string' ? header : '';
  if (timingSafeEqual(digest(given), digest(secret))) return null;
  return new DesignError(ErrorCode.Forbidden, `_service and _entities answer the gateway only (${GATEWAY_SECRET_HEADER})`);
}

/** Root fields, through fragments spread or inlined at the root too. */
function selectsGatewayField(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return GATEWAY_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsGatewayField(document, selection.selectionSet, seen);
    const name = selection.name.value;
    if (seen.has(name)) return false;
    seen.add(name);
    const fragment = document.definitions.find(
      (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name,
    );
    return fragment ? selectsGatewayField(document, fragment.selectionSet, seen) : false;
  });
}
