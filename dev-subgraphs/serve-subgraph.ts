import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { parse } from 'graphql';
import { join } from 'node:path';
import { ASSETS_DIR } from './assets/generate-assets';

/**
 * Starts one of the development subgraphs that stand in for the avatar and catalog teams' services,
 * with the generated models and textures served beside /graphql.
 */
export async function serveSubgraph(name: string, port: number, typeDefs: string, resolvers: Record<string, unknown>) {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // The handlers below own SIGTERM: Apollo's own would make the second stop() wait for ever.
    stopOnTerminationSignals: false,
  });
  await server.start();
  const app = express();
  app.use('/models', express.static(join(ASSETS_DIR, 'models'), { fallthrough: false, immutable: true, maxAge: '1h' }));
  app.use('/textures', express.static(join(ASSETS_DIR, 'textures'), { fallthrough: false, immutable: true, maxAge: '1h' }));
  app.use('/graphql', express.json(), expressMiddleware(server));
  const listener = app.listen(port, '127.0.0.1', () => {
    process.stdout.write(`${name} subgraph ready at http://127.0.0.1:${port}/graphql\n`);
  });
  const stop = () => {
    listener.close(() => process.exit(0));
    // Idle keep-alive connections would hold close() open.
    listener.closeIdleConnections();
    void server.stop();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
