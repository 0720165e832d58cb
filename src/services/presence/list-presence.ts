import type { ServiceContext } from '../../context';
import { presentAt, type PresenceEntryJson } from '../../domain/presence';
import { listPresence } from '../../repositories/presence.repository';

/** Who is in a design the caller may read (the caller's Design says so already) [PR1]. */
export async function presenceOf(ctx: ServiceContext, designId: string): Promise<PresenceEntryJson[]> {
  return presentAt(await listPresence(ctx.redis, designId), ctx.config.presence.ttlMs, Date.now());
}
