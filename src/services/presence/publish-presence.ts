import type { AppServices } from '../../context';
import { presentAt, type PresenceEntryJson, type PresenceEventType } from '../../domain/presence';

/** Tells every replica's subscribers; like every event, not waited for, and never failing the change it reports. */
export function publishPresence(
  deps: Pick<AppServices, 'events' | 'config'>,
  designId: string,
  type: PresenceEventType,
  entry: PresenceEntryJson,
  present: PresenceEntryJson[],
): void {
  void deps.events.publish({ designId, presence: { type, entry, present: presentAt(present, deps.config.presence.ttlMs, Date.now()) } });
}
