import { startTracing } from './tracing';

/**
 * Imported by each process's entry before anything else it imports: instrumentations patch modules
 * as they are loaded, so tracing starts before pg, ioredis, http or express are.
 */
export const tracing = startTracing(require.main?.filename.includes('/workers/') ? 'design-workers' : 'design-subgraph');
