import { createGatewayRuntime, getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { useServer } from 'graphql-ws/use/ws';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { createTokenVerifier } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { connectionViewer } from '../src/http/connection-viewer';
import { composeSupergraph, urlsFromEnv } from './supergraph';

/**
 * The development gateway (Hive Gateway runtime): queries, mutations and graphql-ws subscriptions
 * across the design, avatar and catalog subgraphs at one address. The caller's Authorization header
 * (HTTP) or `authorization` connection parameter (WebSocket) is passed on to every subgraph.
 */
async function main() {
  const gateway = createGatewayRuntime({
    supergraph: composeSupergraph(urlsFromEnv()),
    logging: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'error',
    graphqlEndpoint: '/graphql',
    landingPage: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
    },
    transportEntries: {
      '*.http': {
        options: {
          subscriptions: {
            kind: 'ws',
            location: '/graphql',
            options: { connectionParams: { authorization: '{context.connectionParams.authorization}' } },
          },
        },
      },
    },
  });

  const server = createServer(gateway);
  const sockets = new WebSocketServer({ server, path: '/graphql' });
  const tokens = createTokenVerifier(loadConfig().jwt);
  const disposeSockets = useServer(
    {
      ...getGraphQLWSOptions(gateway, (ctx) => ({ connectionParams: ctx.connectionParams })),
      // Refuse a bad token here, with its reason: refused by the subgraph instead, the gateway would
      // retry and the client would wait long for an error without a message.
      onConnect: async (ctx) => (await connectionViewer(tokens, ctx)) !== false,
    },
    sockets,
  );

  const port = Number(process.env.GATEWAY_PORT ?? 4000);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`gateway ready at http://127.0.0.1:${port}/graphql\n`);

  const stop = async () => {
    await disposeSockets.dispose();
    server.close();
    await gateway[Symbol.asyncDispose]();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
