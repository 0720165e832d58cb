import 'reflect-metadata';
// First: tracing patches the modules imported after it.
import { tracing } from './observability/trace-first';
import { createTokenVerifier } from './auth/tokens';
import { connectServices, loadConfigOrExit } from './bootstrap';
import { buildFederatedSchema } from './graphql/build-schema';
import { createApp } from './http/create-app';
import { startDraining } from './http/draining';
import { logger } from './logger';
import { startMetricsServer } from './observability/metrics-endpoint';
import { startPresenceSweep } from './services/presence/expire-presence';
import { exitGracefullyOnSignals } from './shutdown';

export async function start() {
  const startedAt = Date.now();
  const config = loadConfigOrExit();
  const services = await connectServices(config);
  const { schema } = await buildFederatedSchema();
  const { httpServer, closeSubscriptions, stop } = await createApp({ ...services, schema, tokens: createTokenVerifier(config.jwt) });

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const metricsServer = config.metricsPort === null ? null : await startMetricsServer(config.metricsPort, '0.0.0.0');
  const stopPresenceSweep = startPresenceSweep(services);
  logger.info({ port, ms: Date.now() - startedAt }, `design subgraph ready at http://127.0.0.1:${port}/graphql`);

  // /ready answers 503 at once; requests are still taken for the drain delay, for load balancers to
  // notice; then subscriptions end with 1001 Going Away, the server stops listening and waits for the
  // requests in flight, and the connections to PostgreSQL and Redis close last.
  exitGracefullyOnSignals(config.shutdownTimeoutMs, async () => {
    startDraining();
    logger.info({ drainDelayMs: config.shutdownDrainDelayMs }, 'draining: /ready answers 503');
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainDelayMs));
    // Sessions held by subscriptions leave as their sockets close, while Redis is still there.
    await closeSubscriptions();
    await stopPresenceSweep();
    await stop();
    await services.close();
    metricsServer?.close();
    await tracing?.stop();
  });
}

if (require.main === module) {
  start().catch((error) => {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  });
}
