import { logger } from './logger';

/**
 * Started with a graceful shutdown: ends the process with code 1 if the shutdown has not ended it
 * within `ms` (a request, subscription or job that will not finish must not keep it up for ever).
 */
export function forceExitAfter(ms: number): void {
  setTimeout(() => {
    logger.error({ ms }, 'shutdown took too long: exiting');
    process.exit(1);
  }, ms).unref();
}
