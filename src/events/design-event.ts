import type { CanvasSettingsEntity } from '../../entities/canvas-settings.entity';
import type { DesignEntity } from '../../entities/design.entity';
import type { LayerEntity } from '../../entities/layer.entity';

export enum DesignEventType {
  DESIGN_UPDATED = 'DESIGN_UPDATED',
  DESIGN_DELETED = 'DESIGN_DELETED',
  LAYER_ADDED = 'LAYER_ADDED',
  LAYER_UPDATED = 'LAYER_UPDATED',
  LAYER_REMOVED = 'LAYER_REMOVED',
  LAYERS_REORDERED = 'LAYERS_REORDERED',
  LAYER_GROUPS_CHANGED = 'LAYER_GROUPS_CHANGED',
  CANVAS_UPDATED = 'CANVAS_UPDATED',
  VERSION_CREATED = 'VERSION_CREATED',
  AUTOSAVED = 'AUTOSAVED',
  RESTORED = 'RESTORED',
  COLLABORATORS_CHANGED = 'COLLABORATORS_CHANGED',
  RENDER_UPDATED = 'RENDER_UPDATED',
  EXPORT_UPDATED = 'EXPORT_UPDATED',
}

/** Plain JSON: what crosses Redis and sits in the change log is the same object. */
type Plain<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export type DesignJson = Plain<Omit<DesignEntity, 'creationHash'>>;
export type LayerJson = Plain<Omit<LayerEntity, 'creationHash'>>;
export type CanvasJson = Plain<CanvasSettingsEntity>;

type Version = Record<string, unknown>;

/** The payload of one event as the change log keeps it: what it carries depends on its type. */
export type EventPayloadOf = {
  [DesignEventType.DESIGN_UPDATED]: object;
  [DesignEventType.DESIGN_DELETED]: object;
  [DesignEventType.LAYER_ADDED]: { layer: LayerJson };
  [DesignEventType.LAYER_UPDATED]: { layer: LayerJson };
  [DesignEventType.LAYER_REMOVED]: { layerId: string };
  [DesignEventType.LAYERS_REORDERED]: { layerIds: string[] };
  [DesignEventType.LAYER_GROUPS_CHANGED]: object;
  [DesignEventType.CANVAS_UPDATED]: { canvas: CanvasJson };
  [DesignEventType.VERSION_CREATED]: { version: Version };
  [DesignEventType.AUTOSAVED]: object;
  [DesignEventType.RESTORED]: { version: Version };
  [DesignEventType.COLLABORATORS_CHANGED]: object;
  [DesignEventType.RENDER_UPDATED]: { render: Record<string, unknown> };
  [DesignEventType.EXPORT_UPDATED]: { export: Record<string, unknown> };
};

/** One event's payload, typed by its type; `design` is the design after the change, where the change attached it. */
export type DesignEventPayload = { [T in DesignEventType]: { type: T; design?: DesignJson } & EventPayloadOf[T] }[DesignEventType];

export type DesignEventMessage = DesignEventPayload & {
  designId: string;
  revision: number;
  actorId: string | null;
  at: string;
  /** Not a change of the design (AUTOSAVED, RENDER_UPDATED, EXPORT_UPDATED): no change-log entry of its own. */
  sideband?: boolean;
  /** Sent by a replica whose Redis connection came back: catch up from the change log, deliver nothing. */
  resync?: boolean;
};

/** Dates become ISO strings, as they would through JSON. */
export const toJson = <T>(value: T): Plain<T> => JSON.parse(JSON.stringify(value));

export function designJson(design: DesignEntity): DesignJson {
  const { creationHash: _hash, ...rest } = design;
  return toJson(rest);
}

export function layerJson(layer: LayerEntity): LayerJson {
  const { creationHash: _hash, ...rest } = layer;
  return toJson(rest);
}

/** Events that can change who may read the design: subscribers check their access again. */
export const ACCESS_EVENTS = new Set([
  DesignEventType.DESIGN_UPDATED,
  DesignEventType.DESIGN_DELETED,
  DesignEventType.COLLABORATORS_CHANGED,
]);
