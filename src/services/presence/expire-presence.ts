import type { AppServices } from '../../context';
import { PresenceEventType } from '../../domain/presence';
import { logger } from '../../logger';
import { claimExpired, findExpired } from '../../repositories/presence.repository';
import { publishPresence } from './publish-presence';

const BATCH = 200;

/**
 * Takes out every session whose time ran out, each with one LEFT [PR4]. Every replica sweeps; a
 * session is claimed by one ZREM in Redis, which only one of them wins.
 */
export async function expirePresence(deps: Pick<AppServices, 'redis' | 'events' | 'config'>, now = Date.now()): Promise<number> {
  let left = 0;
  for (;;) {
    const expired = await findExpired(deps.redis, now, BATCH);
    for (const [designId, sessionId] of expired) {
      const claimed = await claimExpired(deps.redis, designId, sessionId, now);
      if (!claimed) continue;
      left++;
      publishPresence(deps, designId, PresenceEventType.LEFT, claimed.entry, claimed.present);
    }
    if (expired.length < BATCH) return left;
  }
}

/**
 * The sweep on an interval: a tenth of PRESENCE_TTL_MS, between 100 ms and 1 s, so that LEFT comes at
 * most that late. A sweep that fails (Redis away) is logged, and the next one catches up. Returns the
 * stop, which waits for a sweep under way.
 */
export function startPresenceSweep(deps: Pick<AppServices, 'redis' | 'events' | 'config'>): () => Promise<void> {
  const everyMs = Math.min(1000, Math.max(100, Math.round(deps.config.presence.ttlMs / 10)));
  // A sweep still running when the next is due (Redis slow) is not doubled.
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= expirePresence(deps)
      .then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error }, 'presence sweep failed'),
      )
      .finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
