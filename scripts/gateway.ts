import { createGatewayRuntime, getGraphQLWSOptions, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { createTokenVerifier } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { connectionViewer } from '../src/http/connection-viewer';
import { isDraining, startDraining } from '../src/http/draining';
import { GATEWAY_SECRET_HEADER } from '../src/http/gateway-only';
import { gracefulClose } from '../src/http/graceful-close';
import { goingAway } from '../src/http/going-away';
import { exitGracefullyOnSignals } from '../src/shutdown';
import { composeSupergraph, urlsFromEnv } from './supergraph';

const SAMPLE_OPERATIONS = `# Your designs: needs "Authorization": "Bearer <JWT>" in the Headers tab (npm run token).
{
  designs(filter: { scope: MINE }, first: 5) {
    edges { node { id name revision layers { id name } } }
  }
}

# A design's live events (over graphql-ws): uncomment, put in a design id, run, then change the design.
# subscription {
#   designChanged(designId: "<design id>") { type revision layer { id name } }
# }
`;

/** `authorization` under either spelling: our clients send it lowercase, GraphiQL as typed in its Headers tab. */
function authorizationIn(params: unknown): unknown {
  if (typeof params !== 'object' || params === null) return undefined;
  const { authorization, Authorization } = params as Record<string, unknown>;
  return authorization ?? Authorization;
}

/**
 * createGatewayRuntime has the runtime dispose itself on SIGTERM and SIGINT (whatwg-node's
 * disposeOnProcessTerminate, not an option), which aborts requests in flight with SHUTTING_DOWN; the
 * shutdown below disposes it last instead, once they are done.
 */
function leaveSignalsToTheShutdown(): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const listener of process.listeners(signal)) if (listener.name === 'terminateHandler') process.removeListener(signal, listener);
  }
}

/**
 * The development gateway (Hive Gateway runtime): queries, mutations and subscriptions (graphql-ws
 * or SSE) across the design, avatar and catalog subgraphs at one address, with GraphiQL for browsers.
 * The caller's Authorization header (HTTP, SSE) or `authorization` connection parameter (WebSocket)
 * is passed on to every subgraph.
 */
async function main() {
  const config = loadConfig();
  const tokens = createTokenVerifier(config.jwt);
  // Refuse a subscription's bad token here, with its reason: refused by the subgraph instead, the
  // gateway would retry and the client would wait some 40 s for an error without a message.
  const refuseBadTokens = (): GatewayPlugin => ({
    async onSubscribe({ args, setResultAndStopExecution }) {
      const authorization: unknown = args.contextValue.headers?.authorization;
      try {
        if (authorization !== undefined && typeof authorization !== 'string')
          throw new Error('Invalid token: authorization must be a string');
        await tokens.viewerFrom(authorization);
      } catch (error) {
        setResultAndStopExecution({ errors: [new GraphQLError((error as Error).message)] });
      }
    },
  });
  const demoToken = process.env.GATEWAY_DEMO_TOKEN;
  const gateway = createGatewayRuntime({
    supergraph: composeSupergraph(urlsFromEnv()),
    logging: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'error',
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // The page inlines GraphiQL's scripts and styles: it works without internet, unlike the default from a CDN.
    renderGraphiQL,
    graphiql: {
      title: 'Design gateway',
      subscriptionsProtocol: 'WS',
      defaultQuery: SAMPLE_OPERATIONS,
      ...(demoToken ? { headers: JSON.stringify({ Authorization: `Bearer ${demoToken}` }, null, 2) } : {}),
    },
    plugins: () => [refuseBadTokens()],
    propagateHeaders: {
      // The subgraph answers _service and _entities only with the gateway's secret.
      fromClientToSubgraphs: ({ request }) => ({
        authorization: request.headers.get('authorization'),
        ...(config.gatewaySecret ? { [GATEWAY_SECRET_HEADER]: config.gatewaySecret } : {}),
      }),
    },
    transportEntries: {
      '*.http': {
        options: {
          subscriptions: {
            kind: 'ws',
            location: '/graphql',
            // context.headers holds the HTTP headers (SSE) merged with the connection parameters (graphql-ws).
            options: { connectionParams: { authorization: '{context.headers.authorization}' } },
          },
        },
      },
    },
  });

  leaveSignalsToTheShutdown();
  const server = createServer((req, res) => {
    // The runtime's own readiness check knows nothing of the shutdown.
    if (isDraining() && req.url?.startsWith('/readiness')) return void res.writeHead(503).end('draining');
    return gateway(req, res);
  });
  const closeHttp = gracefulClose(server);
  // 1 MiB, as the subgraph takes: ws would otherwise accept 100 MiB messages.
  const sockets = new WebSocketServer({ server, path: '/graphql', maxPayload: 1024 * 1024 });
  const graphqlWS = getGraphQLWSOptions(gateway, (ctx) => ({ connectionParams: ctx.connectionParams }));
  const subscriptions = useServer(
    {
      ...graphqlWS,
      // As refuseBadTokens, but for the whole socket, with close code 4403 and the reason.
      onConnect: async (ctx) =>
        (await connectionViewer(tokens, { ...ctx, connectionParams: { authorization: authorizationIn(ctx.connectionParams) } })) !== false,
      // GraphiQL sends its Headers tab with each operation (extensions.headers), not as connection parameters.
      onSubscribe: (ctx, id, payload) => {
        const authorization = authorizationIn(payload.extensions?.headers) ?? authorizationIn(ctx.connectionParams);
        return graphqlWS.onSubscribe!({ ...ctx, connectionParams: { ...ctx.connectionParams, authorization } }, id, payload);
      },
    },
    sockets,
  );

  const port = Number(process.env.GATEWAY_PORT ?? 4000);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`gateway ready at http://127.0.0.1:${port}/graphql\n`);

  // As the design subgraph: readiness 503 at once, the drain delay, subscriptions closed with 1001
  // Going Away, requests in flight finished, then the runtime's own resources.
  exitGracefullyOnSignals(config.shutdownTimeoutMs, async () => {
    startDraining();
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainDelayMs));
    await goingAway(subscriptions, sockets);
    await closeHttp();
    await gateway[Symbol.asyncDispose]();
  });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
