import { isUnionType, type GraphQLSchema } from 'graphql';
import { badInput } from '../errors/design-error';

/**
 * Every entity this subgraph resolves is keyed by `id` alone, so a representation is an object
 * naming one of them in `__typename`, with its `id` as a string (as any subgraph serializes an ID).
 */
function assertRepresentation(value: unknown, index: number, entities: ReadonlySet<string>): void {
  const at = `representation ${index}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badInput('representations', `${at} is not an object`);
  const { __typename, id } = value as Record<string, unknown>;
  if (typeof __typename !== 'string' || !entities.has(__typename)) {
    throw badInput('representations', `${at} does not name an entity of this subgraph in __typename`);
  }
  if (typeof id !== 'string') throw badInput('representations', `${at} has no id string`);
}

/**
 * Checks the representations before @apollo/subgraph's own `_entities` resolver sees them: it handed
 * a representation without an id to `__resolveReference` (the loaders threw) and threw a plain Error
 * for an unknown `__typename`, both INTERNAL_SERVER_ERROR instead of BAD_USER_INPUT.
 */
export function checkEntityRepresentations(schema: GraphQLSchema): void {
  const union = schema.getType('_Entity');
  const field = schema.getQueryType()?.getFields()._entities;
  const resolve = field?.resolve;
  if (!isUnionType(union) || !field || !resolve) throw new Error('the subgraph schema has no _entities to guard');
  const entities = new Set(union.getTypes().map((type) => type.name));
  field.resolve = (source, args: { representations: unknown[] }, context, info) => {
    args.representations.forEach((representation, index) => assertRepresentation(representation, index, entities));
    return resolve(source, args, context, info);
  };
}
