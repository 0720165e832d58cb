import pino from 'pino';

/** The one logger. Level from LOG_LEVEL; read directly so that it works before config validation. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: { service: process.env.SERVICE_NAME ?? 'design' },
});
