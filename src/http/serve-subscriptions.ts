import type http from 'node:http';
import { GraphQLError } from 'graphql';
import { WebSocketServer } from 'ws';
import type { Viewer } from '../auth/viewer';
import { createServiceContext, type ServiceContext } from '../context';
import { DesignError, ErrorCode, formatError } from '../errors/design-error';
import { parseOptions } from '../graphql/operation-limits';
import { apiResponseTime, graphqlErrors, graphqlRequests, openWebsockets, websocketConnections } from '../observability/metrics';
import { operationLabel } from './operation-metrics';
import type { AppDeps } from './create-app';
import { closeWith, connectionViewer } from './connection-viewer';
import { createConnectionCounter } from './connection-counter';
import { createDocumentCache } from './document-cache';
import { GATEWAY_SECRET_HEADER } from './gateway-only';
import type { OperationGuard } from './operation-guard';
import { goingAway } from './going-away';
import { serveGraphqlWs } from './graphql-ws-server';

/** graphql-ws's code for "too many": not one of its own, in the 4xxx range a server may use. */
const TOO_MANY_CONNECTIONS = 4429;

const asErrors = (error: DesignError) => [new GraphQLError(error.message, { originalError: error })];

/**
 * graphql-ws on the same port and path as HTTP, with the same operation limits. The token comes in
 * `connectionParams.authorization`; a bad one closes the socket with 4403 and the reason, none means
 * anonymous. Each connection holds a bounded number of subscriptions, and each user (each address,
 * for anonymous clients) a bounded number of connections on this replica. The function returned
 * closes every socket with 1001 Going Away.
 */
export function serveSubscriptions(httpServer: http.Server, deps: AppDeps, guard: OperationGuard, maxMessageBytes: number) {
  // From subscribe to the subscription set up, per connection and operation id: api_response_time_ms over graphql-ws.
  const settingUp = new WeakMap<object, Map<string, { start: number; operation: string }>>();
  const format = { exposeInternals: deps.config.env !== 'production', suggestions: deps.config.introspection };
  const { websocket } = deps.config;
  const documents = createDocumentCache(parseOptions(deps.config.queryLimits));
  const connections = createConnectionCounter();
  // As over HTTP: ws would otherwise take 100 MiB messages, and a few of them exhaust the heap.
  const sockets = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: maxMessageBytes });
  const server = serveGraphqlWs<Record<string, unknown>, { viewer?: Viewer; countedAs?: string }>(
    {
      schema: deps.schema,
      connectionInitWaitTimeout: websocket.connectionInitTimeoutMs,
      async onConnect(ctx) {
        const connected = await connectionViewer(deps.tokens, ctx);
        if (!connected) return false;
        const userId = connected.viewer?.userId;
        const key = userId ? `user:${userId}` : `address:${ctx.extra.address}`;
        const max = userId ? websocket.connectionsPerUser : websocket.anonymousConnectionsPerAddress;
        if (!connections.take(key, max)) {
          const setting = userId ? 'WS_MAX_CONNECTIONS_PER_USER' : 'WS_MAX_ANONYMOUS_CONNECTIONS_PER_ADDRESS';
          closeWith(ctx.extra.socket, TOO_MANY_CONNECTIONS, `More than ${max} open connections (${setting})`);
          return false;
        }
        ctx.extra.countedAs = key;
        ctx.extra.viewer = connected.viewer;
        // The token has done its work: a connection lives for hours, mostly idle, and need not hold it twice.
        (ctx as { connectionParams?: unknown }).connectionParams = undefined;
        (ctx.extra.headers as Record<string, unknown>).authorization = undefined;
        websocketConnections.inc();
        openWebsockets.inc();
        return true;
      },
      onClose(ctx) {
        if (!ctx.extra.countedAs) return;
        connections.release(ctx.extra.countedAs);
        openWebsockets.dec();
      },
      // Parsed, validated and measured here rather than by graphql-ws, so that the limits see the variables.
      async onSubscribe(ctx, id, payload) {
        graphqlRequests.inc();
        const start = performance.now();
        if (Object.keys(ctx.subscriptions).length > websocket.subscriptionsPerConnection) {
          return asErrors(
            new DesignError(
              ErrorCode.LimitExceeded,
              `A connection may hold ${websocket.subscriptionsPerConnection} subscriptions (WS_MAX_SUBSCRIPTIONS_PER_CONNECTION)`,
            ),
          );
        }
        let document;
        try {
          document = documents.parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const invalid = documents.validate(deps.schema, document);
        if (invalid.length) return invalid;
        const refused = await guard.check({
          document,
          variables: payload.variables ?? undefined,
          operationName: payload.operationName,
          viewer: ctx.extra.viewer ?? null,
          address: ctx.extra.address,
          gatewaySecret: ctx.extra.headers[GATEWAY_SECRET_HEADER],
        });
        if (refused) return asErrors(refused);
        settingUp.set(ctx, (settingUp.get(ctx) ?? new Map()).set(id, { start, operation: operationLabel(payload.operationName) }));
        return { schema: deps.schema, document, variableValues: payload.variables, operationName: payload.operationName };
      },
      onOperation(ctx, id) {
        const pending = settingUp.get(ctx);
        const setup = pending?.get(id);
        if (!setup) return;
        pending!.delete(id);
        if (pending!.size === 0) settingUp.delete(ctx);
        apiResponseTime.observe({ operation: setup.operation, transport: 'ws' }, performance.now() - setup.start);
      },
      context: (ctx) => createServiceContext(deps, ctx.extra.viewer ?? null),
      onError: (_ctx, _id, _payload, errors) => {
        graphqlErrors.inc();
        return errors.map((error) => formatError(error.toJSON(), error, format));
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        // The event is out: the loaders it read through go, so that an idle subscription holds none.
        (args.contextValue as ServiceContext).releaseLoaders();
        return result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error, format)) } : undefined;
      },
    },
    sockets,
    // Routers forward the client's Authorization on the upgrade request rather than in connectionParams.
    { production: deps.config.env === 'production', keepHeaders: [GATEWAY_SECRET_HEADER, 'authorization'] },
  );
  return () => goingAway(server, sockets);
}
