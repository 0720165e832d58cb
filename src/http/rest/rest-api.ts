import type { ApolloServer } from '@apollo/server';
import express, { type Request, type Response } from 'express';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  typeFromAST,
  validate,
  type GraphQLFormattedError,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { badInput, DesignError, ErrorCode, httpStatusOf } from '../../errors/design-error';
import { IF_MATCH_VARIABLE, REST_ROUTES, type RestRoute } from './rest-routes';

/** A route ready to serve: its operation parsed and checked against the schema, its variables typed. */
export interface PreparedRoute extends RestRoute {
  operationName: string;
  definition: OperationDefinitionNode;
  variables: Map<string, GraphQLInputType>;
  pathParameters: string[];
}

/** Parses and validates every route's operation; a route that does not fit the schema stops the start. */
export function prepareRoutes(schema: GraphQLSchema, routes: RestRoute[] = REST_ROUTES): PreparedRoute[] {
  return routes.map((route) => {
    const document = parse(route.operation);
    const problems = validate(schema, document);
    if (problems.length) throw new Error(`REST ${route.method.toUpperCase()} ${route.path}: ${problems.map((p) => p.message).join('; ')}`);
    const definition = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
    const variables = new Map(
      (definition.variableDefinitions ?? []).map((v) => [v.variable.name.value, typeFromAST(schema, v.type as never) as GraphQLInputType]),
    );
    const pathParameters = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    for (const name of pathParameters) if (!variables.has(name)) throw new Error(`REST ${route.path}: no variable $${name}`);
    return { ...route, operationName: definition.name!.value, definition, variables, pathParameters };
  });
}

/** A path or query-string value as the variable's type wants it; lists by repeating the parameter or by commas. */
function fromText(raw: unknown, type: GraphQLInputType, name: string): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = (Array.isArray(raw) ? raw : [raw]).flatMap((item) => String(item).split(',')).filter((item) => item !== '');
    return items.map((item) => fromText(item, inner.ofType as GraphQLInputType, name));
  }
  if (Array.isArray(raw)) throw badInput(name, 'given more than once');
  const text = String(raw);
  if (isInputObjectType(inner)) throw badInput(name, 'cannot be given in the query string');
  switch (isEnumType(inner) ? 'enum' : getNamedType(inner).name) {
    case 'Int':
      if (!/^-?\d{1,10}$/.test(text)) throw badInput(name, 'must be an integer');
      return Number(text);
    case 'Float':
      if (text.trim() === '' || !Number.isFinite(Number(text))) throw badInput(name, 'must be a number');
      return Number(text);
    case 'Boolean':
      if (text !== 'true' && text !== 'false') throw badInput(name, 'must be true or false');
      return text === 'true';
    default:
      return text;
  }
}

/** `If-Match: "12"` (or `W/"12"`, or `12`): the revision the change expects. */
function revisionFrom(header: string): number {
  const match = /^(?:W\/)?"?(\d{1,10})"?$/.exec(header.trim());
  if (!match) throw badInput('If-Match', 'must be the revision the change expects, e.g. "12"');
  return Number(match[1]);
}

/** The operation's variables from the request: path parameters, the query string (reads), the JSON body (writes), If-Match. */
export function variablesOf(route: PreparedRoute, req: Request): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const name of route.pathParameters) variables[name] = fromText(req.params[name], route.variables.get(name)!, name);
  const query = (req.query ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (!route.variables.has(name) || route.pathParameters.includes(name) || name === IF_MATCH_VARIABLE) {
      throw badInput(name, `is not a query parameter of ${route.method.toUpperCase()} ${route.path}`);
    }
    variables[name] = fromText(value, route.variables.get(name)!, name);
  }
  const body: unknown = req.body;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body)))
    throw badInput('body', 'must be a JSON object');
  if (route.bodyVariable) {
    if (body !== undefined) variables[route.bodyVariable] = body;
  } else if (body) {
    for (const [name, value] of Object.entries(body)) {
      if (!route.variables.has(name) || route.pathParameters.includes(name) || name === IF_MATCH_VARIABLE) {
        throw badInput(name, `is not a property of the body of ${route.method.toUpperCase()} ${route.path}`);
      }
      variables[name] = value;
    }
  }
  const ifMatch = req.get('if-match');
  if (ifMatch !== undefined && route.variables.has(IF_MATCH_VARIABLE)) variables[IF_MATCH_VARIABLE] = revisionFrom(ifMatch);
  return variables;
}

/** An error as REST answers it: the GraphQL error's code, message and details, flat. */
export interface RestError {
  code: string;
  message: string;
  [detail: string]: unknown;
}

function restError(error: GraphQLFormattedError): RestError {
  const { code, http: _http, stacktrace: _stacktrace, ...details } = (error.extensions ?? {}) as Record<string, unknown>;
  return { ...details, code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', message: error.message };
}

function sendError(res: Response, error: RestError, retryAfter?: string | null): void {
  if (error.code === ErrorCode.RateLimited) {
    res.set('retry-after', retryAfter ?? String(Math.max(1, Math.ceil(Number(error.retryAfterMs ?? 1000) / 1000))));
  } else if (retryAfter) res.set('retry-after', retryAfter);
  res.status(httpStatusOf(error.code)).json(error);
}

const fromDesignError = (error: DesignError): RestError => ({ ...error.details, code: error.code, message: error.message });

/** The value at `path` inside `data` (undefined when a step is missing). */
const at = (data: unknown, path: string[]) => path.reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], data);

/**
 * The /api router: each route runs its operation through `apollo` with the context `contextFor` makes
 * for the request, exactly as a POST to /graphql with that operation would.
 */
export function restRouter<C extends object>(
  apollo: ApolloServer<C>,
  routes: PreparedRoute[],
  contextFor: (req: Request) => Promise<C>,
  maxBodyBytes: number,
): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: maxBodyBytes }));
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      let contextValue: C;
      let variables: Record<string, unknown>;
      try {
        contextValue = await contextFor(req);
        variables = variablesOf(route, req);
      } catch (error) {
        if (error instanceof DesignError) return sendError(res, fromDesignError(error));
        throw error;
      }
      const response = await apollo.executeOperation(
        { query: route.operation, variables, operationName: route.operationName },
        { contextValue },
      );
      if (response.body.kind !== 'single') throw new Error('REST operations answer once');
      const { data, errors } = response.body.singleResult;
      if (errors?.length) return sendError(res, restError(errors[0]!), response.http.headers.get('retry-after'));
      const answer = at(data, route.result);
      if ((answer === null || answer === undefined) && route.nullIsNotFound) {
        return sendError(res, { code: ErrorCode.NotFound, message: `${route.result[0]} not found` });
      }
      const revision = (answer as { revision?: unknown } | null)?.revision;
      if (typeof revision === 'number') res.set('etag', `"${revision}"`);
      if (route.status === 204) return void res.status(204).end();
      res.status(route.status).json(answer);
    });
  }
  return router;
}

/** Anything else under /api: a JSON 404, not Express's HTML page. */
export const noSuchRoute: express.RequestHandler = (req, res) =>
  sendError(res, { code: ErrorCode.NotFound, message: `No route ${req.method} ${req.baseUrl}${req.path}; see /api/docs` });
