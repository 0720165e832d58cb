/** Stored values of the checked text columns; the GraphQL enums use the same strings. */

export enum DesignStatus { Draft = 'DRAFT', Published = 'PUBLISHED', Archived = 'ARCHIVED' }
export enum DesignVisibility { Private = 'PRIVATE', Shared = 'SHARED', Public = 'PUBLIC' }
export enum DesignCategory {
  Outfit = 'OUTFIT', Top = 'TOP', Bottom = 'BOTTOM', Dress = 'DRESS', Outerwear = 'OUTERWEAR', FullCollection = 'FULL_COLLECTION',
}
export enum CollaboratorRole { Viewer = 'VIEWER', Commenter = 'COMMENTER', Editor = 'EDITOR', Owner = 'OWNER' }
export enum LayerType { Silhouette = 'SILHOUETTE', Fabric = 'FABRIC', Pattern = 'PATTERN', Element = 'ELEMENT', Accessory = 'ACCESSORY' }
export enum BlendMode { Normal = 'NORMAL', Multiply = 'MULTIPLY', Screen = 'SCREEN', Overlay = 'OVERLAY', Add = 'ADD' }
export enum LightingPreset { Studio = 'STUDIO', Outdoor = 'OUTDOOR', Runway = 'RUNWAY', Soft = 'SOFT', Dramatic = 'DRAMATIC' }
export enum BackgroundType { Color = 'COLOR', Gradient = 'GRADIENT', Image = 'IMAGE', Transparent = 'TRANSPARENT' }
export enum RenderQuality { Draft = 'DRAFT', Standard = 'STANDARD', High = 'HIGH', Ultra = 'ULTRA' }

export enum HistoryAction {
  DesignCreated = 'DESIGN_CREATED', DesignUpdated = 'DESIGN_UPDATED', DesignPublished = 'DESIGN_PUBLISHED',
  DesignArchived = 'DESIGN_ARCHIVED', DesignDeleted = 'DESIGN_DELETED', DesignForked = 'DESIGN_FORKED',
  LayerAdded = 'LAYER_ADDED', LayerUpdated = 'LAYER_UPDATED', LayerRemoved = 'LAYER_REMOVED',
  LayerDuplicated = 'LAYER_DUPLICATED', LayersReordered = 'LAYERS_REORDERED', LayersGrouped = 'LAYERS_GROUPED',
  LayersUngrouped = 'LAYERS_UNGROUPED', CanvasUpdated = 'CANVAS_UPDATED', CheckpointCreated = 'CHECKPOINT_CREATED',
  VersionRestored = 'VERSION_RESTORED', AutosaveRestored = 'AUTOSAVE_RESTORED', Undo = 'UNDO', Redo = 'REDO',
  CollaboratorAdded = 'COLLABORATOR_ADDED', CollaboratorUpdated = 'COLLABORATOR_UPDATED', CollaboratorRemoved = 'COLLABORATOR_REMOVED',
}

/** SQL list for CHECK constraints, e.g. `status IN ('DRAFT','PUBLISHED')`. */
export const sqlValues = (values: Record<string, string>) =>
  Object.values(values).map((v) => `'${v}'`).join(', ');
