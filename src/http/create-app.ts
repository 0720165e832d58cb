import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import http from 'node:http';
import { within } from '../async/within';
import type { TokenVerifier } from '../auth/tokens';
import { createServiceContext, type AppServices, type ServiceContext } from '../context';
import { DesignError, ErrorCode, formatError, graphqlCode } from '../errors/design-error';
import { contentTypeOf } from '../files/file-keys';
import { isLocalFileStorage } from '../files/local-file-storage';
import { observeActiveDesigns, observeQueues } from '../observability/metrics';
import { serveMetrics } from '../observability/metrics-endpoint';
import { jitGateway } from '../graphql/jit-executor';
import { parseOptions } from '../graphql/operation-limits';
import { answerCache } from './answer-cache';
import { isDraining } from './draining';
import { GATEWAY_SECRET_HEADER } from './gateway-only';
import { gracefulClose } from './graceful-close';
import { jsonErrors } from './json-errors';
import { requestScope } from './request-scope';
import { measureOperations } from './operation-metrics';
import { createOperationGuard, refusalStatus, type OperationGuard } from './operation-guard';
import { outageStatus } from './outage-status';
import { serveSubscriptions } from './serve-subscriptions';
import { apiDocs } from './rest/api-docs';
import { openApiDocument } from './rest/openapi-document';
import { noSuchRoute, prepareRoutes, restRouter } from './rest/rest-api';
import { REST_API_VERSION } from './rest/rest-routes';

export interface AppDeps extends AppServices {
  schema: GraphQLSchema;
  tokens: TokenVerifier;
}

/** The largest request body over HTTP, and the largest message over graphql-ws. */
const MAX_REQUEST_BYTES = 1024 * 1024;

/** A request over HTTP: the service context, and the address rate limits count anonymous callers by. */
type HttpContext = ServiceContext & { address: string };

/** The shared checks (operation-guard.ts) as Apollo Server sees them, refusals with their HTTP status. */
function guardOperations(guard: OperationGuard): ApolloServerPlugin<HttpContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, response, contextValue }) {
          const refused = await guard.check({
            document,
            variables: request.variables,
            operationName: request.operationName,
            viewer: contextValue.viewer,
            address: contextValue.address,
            gatewaySecret: request.http?.headers.get(GATEWAY_SECRET_HEADER),
          });
          if (!refused) return;
          if (refused.code === ErrorCode.RateLimited) {
            response.http.headers.set('retry-after', String(Math.ceil(Number(refused.details.retryAfterMs) / 1000)));
          }
          throw new GraphQLError(refused.message, { originalError: refused, extensions: { http: { status: refusalStatus(refused) } } });
        },
      };
    },
  };
}

/** Subscriptions travel over graphql-ws; one POSTed over HTTP would run as a query on a null root. */
const refuseHttpSubscriptions: ApolloServerPlugin<HttpContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') {
          throw new GraphQLError('Subscriptions are served over graphql-ws at this path, not over HTTP', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
      },
    };
  },
};

export async function createApp(deps: AppDeps) {
  const app = express();
  // Express hashed every answer for a weak ETag (SHA-1 over ~20 KB for a design read) that GraphQL
  // clients never send back; the REST routes set their own (the design's revision).
  app.set('etag', false);
  const httpServer = http.createServer(app);
  const format = { exposeInternals: deps.config.env !== 'production', suggestions: deps.config.introspection };
  const guard = createOperationGuard(deps);

  const goingAway = serveSubscriptions(httpServer, deps, guard, MAX_REQUEST_BYTES);
  // Every socket gets 1001 Going Away before the HTTP server closes.
  let subscriptionsClosed: Promise<void> | undefined;
  const closeSubscriptions = () => (subscriptionsClosed ??= goingAway());
  const closeHttp = gracefulClose(httpServer);
  // Past SHUTDOWN_TIMEOUT_MS a request still in flight is cut by the process's exit (code 1, src/shutdown.ts).
  const drain: ApolloServerPlugin<HttpContext> = {
    async serverWillStart() {
      return {
        async drainServer() {
          await closeSubscriptions();
          await closeHttp();
        },
      };
    },
  };

  const apollo = new ApolloServer<HttpContext>({
    gateway: jitGateway(deps.schema),
    formatError: (formatted, error) => formatError(formatted, error, format),
    includeStacktraceInErrorResponses: false,
    introspection: deps.config.introspection,
    parseOptions: parseOptions(deps.config.queryLimits),
    // main.ts owns SIGTERM: with Apollo's own handler too, the second apollo.stop() never returned and the process never exited.
    stopOnTerminationSignals: false,
    plugins: [
      drain,
      outageStatus,
      ApolloServerPluginInlineTraceDisabled(),
      // Its willResolveField ran for every field of every answer (9% of a design read's CPU) for cache hints nobody sets.
      ApolloServerPluginCacheControlDisabled(),
      measureOperations,
      refuseHttpSubscriptions,
      guardOperations(guard),
      ...(deps.config.answerCacheBytes > 0 ? [answerCache<HttpContext>(deps.schema, deps.config.answerCacheBytes)] : []),
    ],
  });
  await apollo.start();

  app.use(requestScope);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    if (isDraining()) return void res.status(503).json({ status: 'draining' });
    const checks = await Promise.allSettled([deps.db.query('SELECT 1'), deps.redis.ping()]);
    const [postgres, redis] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : `down: ${String(c.reason?.message ?? c.reason)}`));
    const ready = postgres === 'ok' && redis === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', postgres, redis });
  });
  const files = deps.files;
  // S3 serves its own presigned links; the local directory is served here.
  if (isLocalFileStorage(files)) {
    app.get(/^\/files\/(.+)$/, async (req, res) => {
      const key = (req.params as unknown as string[])[0]!;
      const { expires, signature } = req.query as Record<string, string | undefined>;
      if (!expires || !signature || !files.verify(key, expires, signature)) return void res.status(403).send('invalid or expired link');
      const body = await files.read(key);
      if (!body) return void res.status(404).send('not found');
      res.type(contentTypeOf(key)).set('cache-control', 'private, max-age=300').send(body);
    });
  }
  // Queue depths come from Redis; a slow or absent Redis leaves them out rather than failing the scrape.
  observeQueues(() => within(deps.jobs.counts(), 1000, 'Redis did not answer').catch(() => null));
  observeActiveDesigns(() => deps.events.listenedDesigns());
  // With METRICS_PORT, /metrics is served there instead (src/main.ts), out of the public port's reach.
  if (deps.config.metricsPort === null) app.get('/metrics', serveMetrics);

  /** Who calls (a bad token throws UNAUTHENTICATED) and from where, for /graphql and the REST routes alike. */
  const contextFor = async (req: express.Request): Promise<HttpContext> => {
    const ctx = createServiceContext(deps, await deps.tokens.viewerFrom(req.headers.authorization));
    // Assigned, not spread: the context's loaders are getters made on first use.
    return Object.assign(ctx, { address: req.ip ?? req.socket.remoteAddress ?? 'unknown' });
  };

  app.use(
    '/graphql',
    express.json({ limit: MAX_REQUEST_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return await contextFor(req);
        } catch (error) {
          if (error instanceof DesignError) {
            throw new GraphQLError(error.message, { extensions: { code: graphqlCode(error.code), http: { status: 401 } } });
          }
          throw error;
        }
      },
    }),
  );

  const restRoutes = prepareRoutes(deps.schema);
  const openApi = openApiDocument(deps.schema, restRoutes, { version: REST_API_VERSION, serverUrl: '/api' });
  app.get('/api/openapi.json', (_req, res) => void res.json(openApi));
  app.use('/api', apiDocs());
  app.use('/api', restRouter(apollo, restRoutes, contextFor, MAX_REQUEST_BYTES));
  app.use('/api', noSuchRoute);

  app.use(jsonErrors);

  return { app, httpServer, closeSubscriptions, stop: () => apollo.stop() };
}
