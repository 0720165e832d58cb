import type * as THREE from 'three';

/**
 * What src/render/build-scene.js puts on `window.exports` when the page loads it as a plain script
 * (it is compiled as CommonJS with no runtime import, for the server renderer's page and this one).
 * Declared here rather than imported: importing the server's source would compile it into this
 * program's output as an ES module over its CommonJS build. test/studio-types.ts checks that these
 * declarations and the server's types agree, so a change to one that the other lacks does not compile.
 */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export type BlendMode = 'NORMAL' | 'MULTIPLY' | 'SCREEN' | 'OVERLAY' | 'ADD';
export type ItemType = 'SILHOUETTE' | 'FABRIC' | 'PATTERN' | 'ELEMENT' | 'ACCESSORY';
export type LightingPreset = 'STUDIO' | 'OUTDOOR' | 'RUNWAY' | 'SOFT' | 'DRAMATIC';
export type BackgroundType = 'COLOR' | 'GRADIENT' | 'IMAGE' | 'TRANSPARENT';
export type RenderQuality = 'DRAFT' | 'STANDARD' | 'HIGH' | 'ULTRA';

export interface LayerState {
  id: string;
  type: ItemType;
  name: string | null;
  order: number;
  catalogItemId: string;
  transform: { position: Vec3; rotation: Vec3; scale: Vec3 };
  customization: {
    color: string | null;
    materialItemId: string | null;
    textureScale: number;
    roughness: number | null;
    metalness: number | null;
    extra: unknown;
  };
  visible: boolean;
  locked: boolean;
  blendMode: BlendMode;
  opacity: number;
  notes: string | null;
  groupId: string | null;
}

export interface GroupState {
  id: string;
  name: string | null;
  visible: boolean;
  locked: boolean;
}

export interface CanvasState {
  camera: { position: Vec3; target: Vec3; fov: number };
  lighting: { preset: LightingPreset; intensity: number };
  background: { type: BackgroundType; value: string };
  showGrid: boolean;
  showGuides: boolean;
  snapToGrid: boolean;
  gridSize: number;
  renderQuality: RenderQuality;
  antialiasing: boolean;
  shadows: boolean;
  ambientOcclusion: boolean;
}

export interface DesignState {
  revision: number;
  design: {
    name: string;
    description: string | null;
    avatarId: string | null;
    category: string | null;
    tags: string[];
    occasions: string[];
    seasons: string[];
  };
  layers: LayerState[];
  layerGroups: GroupState[];
  canvas: CanvasState;
}

export interface SceneItem {
  id: string;
  type: ItemType;
  modelUrl: string | null;
  textureUrl: string | null;
  defaultColor: string | null;
}

export interface SceneInput {
  state: DesignState;
  backgroundImageUrl: string | null;
  avatar: { modelUrl: string; height: number; itemScale: number } | null;
  items: Record<string, SceneItem>;
  settings: { width: number; height: number; transparentBackground: boolean; pixelRatio?: number };
}

export interface SceneAssets {
  loadModel(url: string): Promise<THREE.Object3D>;
  loadTexture(url: string): Promise<THREE.Texture>;
}

export interface BuiltScene {
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
  figure: THREE.Group;
  clearColor: string | null;
  shadows: boolean;
  overlay: { layers: THREE.Object3D[]; uniforms: Record<string, { value: unknown }> };
}

export interface SceneApi {
  buildScene(three: typeof THREE, input: SceneInput, assets: SceneAssets): Promise<BuiltScene>;
  drawScene(three: typeof THREE, renderer: THREE.WebGLRenderer, built: BuiltScene): void;
  disposeScene(built: BuiltScene): void;
  assetCache<T>(max: number): (key: string, load: () => Promise<T>) => Promise<T>;
}
