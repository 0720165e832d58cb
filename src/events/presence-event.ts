import type { PresenceEntryJson, PresenceEventType } from '../domain/presence';

/**
 * A presence change, on the design's channel beside its events: one SUBSCRIBE per design and replica
 * serves both, and a presence subscriber sees the events that can end its access in order with it.
 * Not a change of the design: no revision, never in the change log, never replayed [PR1].
 */
export interface PresenceMessage {
  designId: string;
  presence: {
    type: PresenceEventType;
    entry: PresenceEntryJson;
    /** Everyone present once the change is made, by user, then session. */
    present: PresenceEntryJson[];
  };
}

export const isPresenceMessage = (message: object): message is PresenceMessage => 'presence' in message;
