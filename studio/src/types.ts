import type { BlendMode, CanvasState, ItemType, Vec3 } from './scene-api.js';

/** What the studio reads through the gateway (operations.ts), as the panels and the scene use it. */
export interface CatalogItemView {
  id: string;
  name: string;
  type: ItemType;
  modelUrl: string | null;
  textureUrl: string | null;
  defaultColor: string | null;
}

export interface LayerView {
  id: string;
  type: ItemType;
  name: string | null;
  order: number;
  visible: boolean;
  locked: boolean;
  blendMode: BlendMode;
  opacity: number;
  notes: string | null;
  group: { id: string } | null;
  catalogItem: CatalogItemView;
  transform: { position: Vec3; rotation: Vec3; scale: Vec3 };
  customization: {
    color: string | null;
    textureScale: number;
    roughness: number | null;
    metalness: number | null;
    extra: unknown;
    material: CatalogItemView | null;
  };
}

export interface DesignView {
  id: string;
  name: string;
  description: string | null;
  category: string | null;
  tags: string[];
  occasions: string[];
  seasons: string[];
  status: string;
  visibility: string;
  revision: number;
  version: number;
  viewerRole: string | null;
  canUndo: boolean;
  canRedo: boolean;
  owner: { id: string };
  avatar: { id: string; name: string; bodyType: string; height: number; modelUrl: string } | null;
  layers: LayerView[];
  layerGroups: { id: string; name: string | null; visible: boolean; locked: boolean; layers: { id: string }[] }[];
  canvas: CanvasState;
  collaborators: { user: { id: string }; role: string }[];
}

export interface ExportView {
  id: string;
  type: string;
  format: string;
  status: string;
  progress: number;
  fileUrl: string | null;
  fileName: string | null;
  fileSize: number | null;
  error: string | null;
  createdAt: string;
}

export interface RenderView {
  id: string;
  status: string;
  imageUrl: string | null;
  width: number;
  height: number;
  error: string | null;
  cacheHit: boolean;
}

export interface DesignEvent {
  type: string;
  revision: number;
  actor: { id: string } | null;
  layer: LayerView | null;
  layerId: string | null;
  layerIds: string[] | null;
  canvas: CanvasState | null;
  render: RenderView | null;
  export: ExportView | null;
}
