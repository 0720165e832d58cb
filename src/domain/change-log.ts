import type { CanvasSettingsEntity } from '../../entities/canvas-settings.entity';
import type { DesignEntity } from '../../entities/design.entity';
import type { CollaboratorRole, DesignStatus, HistoryAction } from '../../entities/enums';
import type { LayerGroupEntity } from '../../entities/layer-group.entity';
import type { LayerEntity } from '../../entities/layer.entity';
import type { DesignJson, LayerJson } from '../events/design-event';

/** As a command writes it (entities, with Dates) or as it is read back from jsonb (ISO strings). */
export type Stored<T> = { [K in keyof T]: T[K] extends Date ? Date | string : T[K] extends Date | null ? Date | string | null : T[K] };
export type StoredGroup = Stored<LayerGroupEntity>;

/** Before and after of the properties a change set: enough to undo it (docs/collaboration.md U1-U4). */
export interface BeforeAfter<T> {
  before: T;
  after: T;
}

/** shareLinkId: the collaborator joined through that link (joinDesign). */
type CollaboratorChange = { userId: string; shareLinkId?: string } & BeforeAfter<CollaboratorRole | null>;
type StatusChange = BeforeAfter<{ status?: DesignStatus; publishedAt?: Date | string | null }>;
type Restored = { restoredRevision: number; /** The RESTORE version the restore made. */ version: number };

/**
 * What each action writes into the change log's `data`: the commands write it, the reverters
 * (services/undo) read it, and both are checked against this one map.
 */
export interface ChangeDataOf {
  [HistoryAction.DESIGN_CREATED]: { after: DesignJson };
  [HistoryAction.DESIGN_UPDATED]: BeforeAfter<Partial<Stored<DesignEntity>>>;
  [HistoryAction.DESIGN_PUBLISHED]: StatusChange;
  [HistoryAction.DESIGN_ARCHIVED]: StatusChange;
  [HistoryAction.DESIGN_DELETED]: Record<string, never>;
  [HistoryAction.DESIGN_FORKED]: { forkedFrom: string; forkedFromRevision: number };
  [HistoryAction.LAYER_ADDED]: { layer: LayerJson };
  [HistoryAction.LAYER_UPDATED]: { layerId: string } & BeforeAfter<Partial<Stored<LayerEntity>>>;
  [HistoryAction.LAYER_REMOVED]: { layer: LayerJson; removedGroups: StoredGroup[] };
  [HistoryAction.LAYER_DUPLICATED]: { sourceLayerId: string; layer: LayerJson };
  [HistoryAction.LAYERS_REORDERED]: BeforeAfter<string[]>;
  [HistoryAction.LAYERS_GROUPED]: {
    group: StoredGroup;
    layerIds: string[];
    /** Each layer's group before it joined this one. */
    previousGroups: Record<string, string | null>;
    removedGroups: StoredGroup[];
  };
  [HistoryAction.LAYERS_UNGROUPED]: { group: StoredGroup; layerIds: string[] };
  [HistoryAction.CANVAS_UPDATED]: BeforeAfter<Partial<Stored<CanvasSettingsEntity>>>;
  [HistoryAction.CHECKPOINT_CREATED]: { version: number; message: string | null };
  [HistoryAction.VERSION_RESTORED]: { fromVersion: number } & Restored;
  [HistoryAction.AUTOSAVE_RESTORED]: { fromAutosave: number } & Restored;
  /** The change undone or redone, and what that did (the reverter's `applied`). */
  [HistoryAction.UNDO]: { revision: number; action: HistoryAction } & Record<string, unknown>;
  [HistoryAction.REDO]: { revision: number; action: HistoryAction } & Record<string, unknown>;
  [HistoryAction.COLLABORATOR_ADDED]: CollaboratorChange;
  [HistoryAction.COLLABORATOR_UPDATED]: CollaboratorChange;
  [HistoryAction.COLLABORATOR_REMOVED]: CollaboratorChange;
}

/** One change-log entry's action and data, the data typed by the action. */
export type ChangeData = { [A in HistoryAction]: { action: A; data: ChangeDataOf[A] } }[HistoryAction];
