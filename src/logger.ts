import pino from 'pino';
import { currentRequest } from './observability/request-context';

/**
 * The one logger. Level from LOG_LEVEL; read directly so that it works before config validation.
 * Every line written inside a request or a job carries its request id and operation; anything that
 * looks like a credential is replaced before it is written.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: { service: process.env.SERVICE_NAME ?? 'design' },
  mixin: () => currentRequest() ?? {},
  redact: {
    paths: [
      'authorization',
      '*.authorization',
      '*.*.authorization',
      'token',
      '*.token',
      'password',
      '*.password',
      'secret',
      '*.secret',
      'connectionParams',
      '*.connectionParams',
      'headers.cookie',
      '*.headers.cookie',
    ],
    censor: '[redacted]',
  },
});
