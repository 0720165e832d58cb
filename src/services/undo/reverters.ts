import type { CanvasSettingsEntity } from '../../../entities/canvas-settings.entity';
import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import type { LayerEntity } from '../../../entities/layer.entity';
import type { ServiceContext } from '../../context';
import type { BeforeAfter, ChangeData, ChangeDataOf, Stored, StoredGroup } from '../../domain/change-log';
import { DesignEventType, layerJson, toJson, type DesignEventPayload, type LayerJson } from '../../events/design-event';
import { findCanvas, saveCanvas } from '../../repositories/canvas.repository';
import { updateDesignFields } from '../../repositories/design.repository';
import { deleteEmptyGroups, findGroupsByIds, insertGroup } from '../../repositories/layer-group.repository';
import {
  deleteLayer,
  findLayerById,
  findStack,
  insertLayerAt,
  setLayersGroup,
  setStackOrder,
  layerPropertiesWrite,
} from '../../repositories/layer.repository';
import { revertProperties } from './property-merge';
import { runWrite } from '../../repositories/pending-write';

export type Direction = 'undo' | 'redo';

export interface Reverted {
  /** What actually changed (the change-log data of the UNDO / REDO entry). */
  applied: Record<string, unknown>;
  event: DesignEventPayload;
  withDesign?: boolean;
}

/** The actions a user can undo (docs/collaboration.md U1): those with a reverter below. */
export type UndoableAction =
  | HistoryAction.DESIGN_UPDATED
  | HistoryAction.LAYER_ADDED
  | HistoryAction.LAYER_UPDATED
  | HistoryAction.LAYER_REMOVED
  | HistoryAction.LAYER_DUPLICATED
  | HistoryAction.LAYERS_REORDERED
  | HistoryAction.LAYERS_GROUPED
  | HistoryAction.LAYERS_UNGROUPED
  | HistoryAction.CANVAS_UPDATED;

type Reverter<A extends UndoableAction> = (
  tx: ServiceContext,
  design: DesignEntity,
  data: ChangeDataOf[A],
  direction: Direction,
) => Promise<Reverted>;

/** Undo goes from `after` to `before`; redo from `before` to `after`. */
const ends = <T>(data: BeforeAfter<T>, direction: Direction) =>
  direction === 'undo' ? { from: data.after, to: data.before } : { from: data.before, to: data.after };

function layerFromJson(json: LayerJson, designId: string, now: Date): LayerEntity {
  return { ...json, designId, creationHash: 'restored', createdAt: new Date(json.createdAt), updatedAt: now } as LayerEntity;
}

async function ensureGroup(tx: ServiceContext, group: StoredGroup | undefined): Promise<string | null> {
  if (!group) return null;
  const [existing] = await findGroupsByIds(tx.manager, [group.id]);
  if (!existing) await insertGroup(tx.manager, { ...group, createdAt: new Date(group.createdAt) });
  return group.id;
}

/** Puts a layer back at its old position (or the top, if the stack is shorter now), in its group if it can. */
async function reinsert(tx: ServiceContext, design: DesignEntity, json: LayerJson, groups: StoredGroup[]): Promise<Reverted> {
  if (await findLayerById(tx.manager, json.id)) return { applied: {}, event: { type: DesignEventType.LAYER_ADDED, layer: json } };
  const count = (await findStack(tx.manager, design.id)).length;
  const groupId = await ensureGroup(
    tx,
    groups.find((g) => g.id === json.groupId),
  );
  const layer = layerFromJson({ ...json, groupId, order: Math.min(json.order, count) }, design.id, new Date());
  await insertLayerAt(tx.manager, layer);
  return { applied: { layerAdded: layerJson(layer) }, event: { type: DesignEventType.LAYER_ADDED, layer: layerJson(layer) } };
}

async function remove(tx: ServiceContext, layerId: string): Promise<Reverted> {
  const layer = await findLayerById(tx.manager, layerId);
  if (!layer) return { applied: {}, event: { type: DesignEventType.LAYER_REMOVED, layerId } };
  await deleteLayer(tx.manager, layer);
  const removedGroups = await deleteEmptyGroups(tx.manager, layer.designId);
  return {
    applied: { layerRemoved: layerJson(layer), removedGroups: toJson(removedGroups) },
    event: { type: DesignEventType.LAYER_REMOVED, layerId },
  };
}

const updateLayer: Reverter<HistoryAction.LAYER_UPDATED> = async (tx, _design, data, direction) => {
  const layer = await findLayerById(tx.manager, data.layerId);
  if (!layer) return { applied: {}, event: { type: DesignEventType.LAYER_REMOVED, layerId: data.layerId } };
  const { from, to } = ends(data, direction);
  // Layer changes hold visual properties, never the timestamps: what comes back are entity fields.
  const next = revertProperties<Stored<LayerEntity>>(toJson(layer), from, to) as Partial<LayerEntity>;
  if (Object.keys(next).length) {
    Object.assign(layer, next, { updatedAt: new Date() });
    await runWrite(tx.manager, layerPropertiesWrite(layer));
  }
  return { applied: { layerId: layer.id, fields: next }, event: { type: DesignEventType.LAYER_UPDATED, layer: layerJson(layer) } };
};

const updateCanvas: Reverter<HistoryAction.CANVAS_UPDATED> = async (tx, design, data, direction) => {
  const canvas = await findCanvas(tx.manager, design.id);
  const { from, to } = ends(data, direction);
  // Canvas changes hold its settings, never a date: what comes back are entity fields.
  const next = revertProperties<Stored<CanvasSettingsEntity>>(canvas, from, to) as Partial<CanvasSettingsEntity>;
  Object.assign(canvas, next);
  if (Object.keys(next).length) await saveCanvas(tx.manager, canvas);
  return { applied: { fields: next }, event: { type: DesignEventType.CANVAS_UPDATED, canvas: toJson(canvas) } };
};

/** Visibility is a sharing setting, like collaborators: it is not undone (U1). */
const updateDesign: Reverter<HistoryAction.DESIGN_UPDATED> = async (tx, design, data, direction) => {
  const { from, to } = ends(data, direction);
  // Design changes hold its fields, and publishedAt comes back as a date TypeORM takes in either form.
  const next = revertProperties<Stored<DesignEntity>>(toJson(design), from, to, ['visibility']) as Partial<DesignEntity>;
  if (Object.keys(next).length) {
    await updateDesignFields(tx.manager, design.id, next);
    Object.assign(design, next);
  }
  return { applied: { fields: next }, event: { type: DesignEventType.DESIGN_UPDATED }, withDesign: true };
};

const addedLayer: Reverter<HistoryAction.LAYER_ADDED | HistoryAction.LAYER_DUPLICATED> = (tx, design, data, direction) =>
  direction === 'undo' ? remove(tx, data.layer.id) : reinsert(tx, design, data.layer, []);

const removedLayer: Reverter<HistoryAction.LAYER_REMOVED> = (tx, design, data, direction) =>
  direction === 'undo' ? reinsert(tx, design, data.layer, data.removedGroups ?? []) : remove(tx, data.layer.id);

/** The layers the change moved take the other order among themselves, if nobody reordered them since. */
const reorder: Reverter<HistoryAction.LAYERS_REORDERED> = async (tx, design, data, direction) => {
  const { from, to } = ends<string[]>(data, direction);
  const stack = (await findStack(tx.manager, design.id)).map((l) => l.id);
  const present = new Set(stack);
  const fromNow = from.filter((id) => present.has(id));
  const toNow = to.filter((id) => present.has(id));
  const moved = new Set(fromNow);
  const slots = stack.filter((id) => moved.has(id));
  let next = stack;
  if (JSON.stringify(slots) === JSON.stringify(fromNow)) {
    let i = 0;
    next = stack.map((id) => (moved.has(id) ? toNow[i++]! : id));
    await setStackOrder(tx.manager, design.id, next, new Date());
  }
  return { applied: { before: stack, after: next }, event: { type: DesignEventType.LAYERS_REORDERED, layerIds: next } };
};

/** Layers move between two groupings only where they still are as the change left them. */
async function regroup(
  tx: ServiceContext,
  design: DesignEntity,
  moves: { layerId: string; from: string | null; to: string | null }[],
  groups: StoredGroup[],
): Promise<Reverted> {
  const stack = new Map((await findStack(tx.manager, design.id)).map((l) => [l.id, l]));
  const moved: string[] = [];
  for (const { layerId, from, to } of moves) {
    const layer = stack.get(layerId);
    if (!layer || layer.groupId !== from) continue;
    const target =
      to === null
        ? null
        : await ensureGroup(
            tx,
            groups.find((g) => g.id === to),
          );
    await setLayersGroup(tx.manager, [layerId], target, new Date());
    moved.push(layerId);
  }
  const removedGroups = await deleteEmptyGroups(tx.manager, design.id);
  return {
    applied: { layerIds: moved, removedGroups: toJson(removedGroups) },
    event: { type: DesignEventType.LAYER_GROUPS_CHANGED },
    withDesign: true,
  };
}

const grouped: Reverter<HistoryAction.LAYERS_GROUPED> = (tx, design, data, direction) => {
  const groups: StoredGroup[] = [data.group, ...(data.removedGroups ?? [])];
  const moves = (data.layerIds as string[]).map((layerId) => {
    const previous: string | null = data.previousGroups?.[layerId] ?? null;
    return direction === 'undo' ? { layerId, from: data.group.id, to: previous } : { layerId, from: previous, to: data.group.id };
  });
  return regroup(tx, design, moves, groups);
};

const ungrouped: Reverter<HistoryAction.LAYERS_UNGROUPED> = (tx, design, data, direction) => {
  const moves = (data.layerIds as string[]).map((layerId) =>
    direction === 'undo' ? { layerId, from: null, to: data.group.id } : { layerId, from: data.group.id, to: null },
  );
  return regroup(tx, design, moves, [data.group]);
};

/** One reverter per undoable action, each reading the data its action wrote. */
const REVERTERS: { [A in UndoableAction]: Reverter<A> } = {
  [HistoryAction.LAYER_UPDATED]: updateLayer,
  [HistoryAction.CANVAS_UPDATED]: updateCanvas,
  [HistoryAction.DESIGN_UPDATED]: updateDesign,
  [HistoryAction.LAYER_ADDED]: addedLayer,
  [HistoryAction.LAYER_DUPLICATED]: addedLayer,
  [HistoryAction.LAYER_REMOVED]: removedLayer,
  [HistoryAction.LAYERS_REORDERED]: reorder,
  [HistoryAction.LAYERS_GROUPED]: grouped,
  [HistoryAction.LAYERS_UNGROUPED]: ungrouped,
};

export const UNDOABLE_ACTIONS: ReadonlySet<HistoryAction> = new Set(Object.keys(REVERTERS) as UndoableAction[]);

/** Reverts one change-log entry of an undoable action. */
export function revert(
  tx: ServiceContext,
  design: DesignEntity,
  change: { action: HistoryAction; data: ChangeData['data'] },
  direction: Direction,
): Promise<Reverted> {
  if (!UNDOABLE_ACTIONS.has(change.action)) throw new Error(`${change.action} cannot be undone`);
  // The map pairs each action with the reverter of its data; TypeScript cannot follow that pair through a lookup.
  const reverter = REVERTERS[change.action as UndoableAction] as Reverter<UndoableAction>;
  return reverter(tx, design, change.data as ChangeDataOf[UndoableAction], direction);
}
