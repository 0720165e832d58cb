import {
  getNamedType,
  GraphQLNonNull,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { IF_MATCH_VARIABLE } from './rest-routes';
import type { PreparedRoute } from './rest-api';

type JsonSchema = Record<string, unknown>;

const ERROR_STATUSES: Record<string, string> = {
  '400': 'BAD_USER_INPUT (`field` names the input), or a query over the operation limits',
  '401': 'UNAUTHENTICATED: no token where one is needed, or a bad one',
  '403': 'FORBIDDEN (the role does not allow it) or LIMIT_EXCEEDED (a tier limit)',
  '404': 'NOT_FOUND: it does not exist, or the caller may not read it',
  '409': 'CONFLICT: `If-Match` names an older revision (`currentRevision` says which is current), or an id is taken',
  '422': 'CATALOG_ITEM_UNAVAILABLE or INCOMPATIBLE_ITEM',
  '423': 'LAYER_LOCKED',
  '429': 'RATE_LIMITED: try again after `Retry-After` seconds',
  '503': 'SERVICE_UNAVAILABLE or UPSTREAM_UNAVAILABLE: try again shortly',
};

const SCALARS: Record<string, JsonSchema> = {
  ID: { type: 'string' },
  String: { type: 'string' },
  Int: { type: 'integer' },
  Float: { type: 'number' },
  Boolean: { type: 'boolean' },
  DateTime: { type: 'string', format: 'date-time' },
  JSON: {},
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** JSON Schema 2020-12 (OpenAPI 3.1): null is a type of its own. */
function orNull(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string' && !schema.$ref && !schema.enum) return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

/**
 * The OpenAPI 3.1 document of the REST routes: request bodies from the operations' variable types,
 * answers from their selections (every selected field is present, null where GraphQL allows it), so
 * the document says exactly what each route takes and gives.
 */
export function openApiDocument(schema: GraphQLSchema, routes: PreparedRoute[], info: { version: string; serverUrl: string }) {
  const components: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      description: "An error: the GraphQL error's `code` and message, and its details (`field`, `currentRevision`, `retryAfterMs`, …).",
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        field: { type: 'string' },
        currentRevision: { type: 'integer' },
      },
      additionalProperties: true,
    },
  };

  const named = (type: GraphQLNamedType): JsonSchema => {
    if (SCALARS[type.name]) return SCALARS[type.name]!;
    if (!components[type.name]) {
      if (isEnumType(type)) {
        components[type.name] = { type: 'string', enum: type.getValues().map((v) => v.name), description: type.description ?? undefined };
      } else if (isInputObjectType(type)) {
        components[type.name] = {}; // placeholder first: input types may refer to themselves
        const fields = Object.values(type.getFields());
        components[type.name] = {
          type: 'object',
          ...(type.description ? { description: type.description } : {}),
          properties: Object.fromEntries(
            fields.map((f) => [f.name, { ...input(f.type), ...(f.description ? { description: f.description } : {}) }]),
          ),
          required: fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name),
          additionalProperties: false,
        };
      } else {
        return {};
      }
    }
    return ref(type.name);
  };

  const input = (type: GraphQLInputType): JsonSchema => {
    if (isNonNullType(type)) return inputNonNull(type.ofType);
    return orNull(inputNonNull(type));
  };
  const inputNonNull = (type: GraphQLInputType): JsonSchema =>
    isListType(type) ? { type: 'array', items: input(type.ofType) } : named(type as GraphQLNamedType);

  const output = (type: GraphQLOutputType, selection: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>) => {
    const schemaOf = (t: GraphQLOutputType): JsonSchema => {
      if (isNonNullType(t)) return nonNull(t.ofType);
      return orNull(nonNull(t));
    };
    const nonNull = (t: GraphQLOutputType): JsonSchema => {
      if (isListType(t)) return { type: 'array', items: schemaOf(t.ofType) };
      if (isLeafType(t)) return named(t);
      return objectOf(t as GraphQLNamedType, selection!);
    };
    const objectOf = (t: GraphQLNamedType, set: SelectionSetNode): JsonSchema => {
      const only = set.selections.length === 1 ? set.selections[0]! : null;
      if (only?.kind === Kind.FRAGMENT_SPREAD) {
        const name = only.name.value;
        components[name] ??= fields(t, fragments.get(name)!.selectionSet);
        return ref(name);
      }
      return fields(t, set);
    };
    const fields = (t: GraphQLNamedType, set: SelectionSetNode): JsonSchema => {
      const properties: Record<string, JsonSchema> = {};
      const collect = (s: SelectionSetNode) => {
        for (const node of s.selections) {
          if (node.kind === Kind.FRAGMENT_SPREAD) collect(fragments.get(node.name.value)!.selectionSet);
          else if (node.kind === Kind.INLINE_FRAGMENT) collect(node.selectionSet);
          else if (isObjectType(t)) {
            const field = t.getFields()[node.name.value]!;
            const described = field.description ? { description: field.description } : {};
            properties[node.alias?.value ?? node.name.value] = { ...output(field.type, node.selectionSet, fragments), ...described };
          }
        }
      };
      collect(set);
      return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
    };
    return schemaOf(type);
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const document = parse(route.operation);
    const fragments = new Map(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
    );
    // The answer's type: the root field's, then down `result`.
    let type: GraphQLOutputType = (route.definition.operation === 'query' ? schema.getQueryType() : schema.getMutationType())!;
    let selection: SelectionSetNode | undefined = route.definition.selectionSet;
    for (const key of route.result) {
      const node: SelectionNode | undefined = selection!.selections.find(
        (s) => s.kind === Kind.FIELD && (s.alias?.value ?? s.name.value) === key,
      );
      if (!node || node.kind !== Kind.FIELD) throw new Error(`REST ${route.path}: no ${key} in the selection`);
      const parent: GraphQLNamedType = getNamedType(type);
      if (!isObjectType(parent)) throw new Error(`REST ${route.path}: ${key} is not on an object`);
      type = parent.getFields()[node.name.value]!.type;
      selection = node.selectionSet;
    }
    // A null answer is a 404 on these routes, so the answer itself is never null.
    const answer = output(route.nullIsNotFound && !isNonNullType(type) ? new GraphQLNonNull(type) : type, selection, fragments);

    const parameters: JsonSchema[] = route.pathParameters.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: inputNonNull(unwrap(route.variables.get(name)!)),
    }));
    const isRead = route.method === 'get';
    const bodyNames = [...route.variables.keys()].filter(
      (name) => !route.pathParameters.includes(name) && name !== IF_MATCH_VARIABLE && name !== route.bodyVariable,
    );
    if (isRead) {
      for (const name of bodyNames) {
        parameters.push({ name, in: 'query', required: false, schema: inputNonNull(unwrap(route.variables.get(name)!)), explode: true });
      }
    }
    if (route.variables.has(IF_MATCH_VARIABLE)) {
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'The revision the change expects (the ETag of the design); an older one answers 409 CONFLICT.',
        schema: { type: 'string', pattern: '^(W/)?"?[0-9]+"?$' },
      });
    }
    let requestBody: JsonSchema | undefined;
    if (route.bodyVariable) {
      const bodyType = route.variables.get(route.bodyVariable)!;
      requestBody = { required: isNonNullType(bodyType), content: { 'application/json': { schema: inputNonNull(unwrap(bodyType)) } } };
    } else if (!isRead && bodyNames.length) {
      const required = bodyNames.filter((name) => isNonNullType(route.variables.get(name)!));
      requestBody = {
        required: required.length > 0,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: Object.fromEntries(bodyNames.map((name) => [name, input(route.variables.get(name)!)])),
              required,
              additionalProperties: false,
            },
          },
        },
      };
    }
    const errors = Object.fromEntries(
      Object.entries(ERROR_STATUSES).map(([status, description]) => [
        status,
        {
          description,
          content: { 'application/json': { schema: ref('Error') } },
          ...(status === '429' || status === '503' ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
        },
      ]),
    );
    const success =
      route.status === 204
        ? { description: 'Done' }
        : {
            description: 'OK',
            content: { 'application/json': { schema: answer } },
            ...(getNamedType(type).name === 'Design'
              ? { headers: { ETag: { description: "The design's revision", schema: { type: 'string' } } } }
              : {}),
          };
    const openApiPath = route.path.replace(/:(\w+)/g, '{$1}');
    paths[openApiPath] ??= {};
    paths[openApiPath][route.method] = {
      operationId: route.operationName,
      summary: route.summary,
      tags: [route.tag],
      parameters,
      ...(requestBody ? { requestBody } : {}),
      responses: { [route.status]: success, ...errors },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Design API',
      version: info.version,
      description:
        'REST over the design subgraph: each route runs one GraphQL operation with the same access rules, limits and errors as /graphql.',
    },
    servers: [{ url: info.serverUrl }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    security: [{ bearer: [] }, {}],
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}

/** The type without its non-null wrapper: whether a parameter is required is said apart. */
const unwrap = (type: GraphQLInputType): GraphQLInputType => (isNonNullType(type) ? type.ofType : type);
