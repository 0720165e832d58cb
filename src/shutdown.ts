import { logger } from './logger';

/**
 * SIGTERM and SIGINT (Ctrl-C) run `stop` once, then the process exits 0. It exits 1 when `stop`
 * fails, or when it has not ended within `timeoutMs`: a request, subscription or job that will not
 * finish must not keep the process up for ever, and whoever stopped it should learn it was forced.
 * A second signal changes nothing; the timeout already bounds the wait.
 */
export function exitGracefullyOnSignals(timeoutMs: number, stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs }, 'shutting down');
    setTimeout(() => {
      logger.error({ ms: timeoutMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, timeoutMs).unref();
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
