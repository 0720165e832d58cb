import 'reflect-metadata';
import { createTokenVerifier } from './auth/tokens';
import { connectServices, loadConfigOrExit } from './bootstrap';
import { buildFederatedSchema } from './graphql/build-schema';
import { forceExitAfter } from './force-exit';
import { createApp } from './http/create-app';
import { logger } from './logger';

export async function start() {
  const startedAt = Date.now();
  const config = loadConfigOrExit();
  const services = await connectServices(config);
  const { schema } = await buildFederatedSchema();
  const { httpServer, stop } = await createApp({ ...services, schema, tokens: createTokenVerifier(config.jwt) });

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, ms: Date.now() - startedAt }, `design subgraph ready at http://127.0.0.1:${port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    forceExitAfter(config.shutdownTimeoutMs);
    await stop();
    await services.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (require.main === module) {
  start().catch((error) => {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  });
}
