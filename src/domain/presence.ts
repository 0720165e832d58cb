import type { CollaboratorRole } from '../../entities/enums';
import type { Vec3 } from '../../entities/layer.entity';

/** Who is in a design, per client session (docs/collaboration.md "Presence"). Never in PostgreSQL. */
export interface PresenceEntryJson {
  userId: string;
  sessionId: string;
  role: CollaboratorRole | null;
  selectedLayerIds: string[];
  camera: PresenceCamera | null;
  color: string | null;
  /** ISO time of the session's last update: it leaves PRESENCE_TTL_MS after it [PR3]. */
  lastSeenAt: string;
}

export interface PresenceCamera {
  position: Vec3;
  target: Vec3;
  fov: number;
}

export enum PresenceEventType {
  JOINED = 'JOINED',
  UPDATED = 'UPDATED',
  LEFT = 'LEFT',
}

/** What a client sends; an absent field keeps the session's value, a camera merges part by part [PR2]. */
export interface PresencePatch {
  selectedLayerIds?: string[] | null;
  camera?: { position?: Vec3 | null; target?: Vec3 | null; fov?: number | null } | null;
  color?: string | null;
}

/** Client-chosen session ids: a UUID fits, and nothing that could play with Redis key or channel names. */
export const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A selection of every layer of the largest design (the enterprise layer limit) fits. */
export const MAX_SELECTED_LAYERS = 500;

export const PRESENCE_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A camera part the patch leaves out comes from the session's previous camera. Null when a part is known from neither. */
function mergeCamera(previous: PresenceCamera | null, patch: NonNullable<PresencePatch['camera']>): PresenceCamera | null {
  const position = patch.position ?? previous?.position;
  const target = patch.target ?? previous?.target;
  const fov = patch.fov ?? previous?.fov;
  if (!position || !target || fov === undefined) return null;
  return { position: { ...position }, target: { ...target }, fov };
}

/**
 * The session's entry after `patch` (`selected` being its selection without repeats): what the patch
 * leaves out (or sets to null) keeps the previous value. Null when it names a camera that is not
 * complete, even with the previous one's parts.
 */
export function nextEntry(
  previous: PresenceEntryJson | null,
  props: { userId: string; sessionId: string; role: CollaboratorRole | null; patch: PresencePatch; selected: string[] | null; now: Date },
): PresenceEntryJson | null {
  const { patch } = props;
  const camera = patch.camera ? mergeCamera(previous?.camera ?? null, patch.camera) : (previous?.camera ?? null);
  if (patch.camera && !camera) return null;
  // Always in this key order: sameShown compares entries as JSON text.
  return {
    userId: props.userId,
    sessionId: props.sessionId,
    role: props.role,
    selectedLayerIds: props.selected ?? previous?.selectedLayerIds ?? [],
    camera,
    color: patch.color ?? previous?.color ?? null,
    lastSeenAt: props.now.toISOString(),
  };
}

/** Whether two entries show the same thing to others (lastSeenAt aside): a heartbeat that changes nothing is no event [PR3]. */
export function sameShown(a: PresenceEntryJson, b: PresenceEntryJson): boolean {
  const { lastSeenAt: _a, ...restA } = a;
  const { lastSeenAt: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/** Entries whose time has not run out (the sweep may not have claimed the others yet), in a stable order: by user, then session. */
export function presentAt(entries: PresenceEntryJson[], ttlMs: number, now: number): PresenceEntryJson[] {
  return entries
    .filter((entry) => Date.parse(entry.lastSeenAt) + ttlMs > now)
    .sort((a, b) => a.userId.localeCompare(b.userId) || a.sessionId.localeCompare(b.sessionId));
}
