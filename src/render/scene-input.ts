import type { DesignState } from '../domain/design-state';

/** What a scene needs besides the design state: the avatar and catalog items it uses, as plain data. */
export interface SceneAvatar {
  modelUrl: string;
  /** Metres. */
  height: number;
  /** Catalog models are made for REFERENCE_HEIGHT: height / REFERENCE_HEIGHT. */
  itemScale: number;
}

export interface SceneItem {
  id: string;
  type: 'SILHOUETTE' | 'FABRIC' | 'PATTERN' | 'ELEMENT' | 'ACCESSORY';
  modelUrl: string | null;
  textureUrl: string | null;
  defaultColor: string | null;
}

export interface SceneSettings {
  width: number;
  height: number;
  transparentBackground: boolean;
  /** Overrides the canvas camera for this render. */
  camera?: {
    position?: { x: number; y: number; z: number } | null;
    target?: { x: number; y: number; z: number } | null;
    fov?: number | null;
  } | null;
  /** Turntable: the design turned around the vertical axis, in degrees. */
  turnDegrees?: number;
  includeAvatar?: boolean;
  visibleOnly?: boolean;
  /** Device pixels per image pixel (render quality); the image is scaled to width x height after. */
  pixelRatio?: number;
}

export interface SceneInput {
  state: DesignState;
  /** An IMAGE background's URL once it is known to be fetchable (RENDER_IMAGE_ORIGINS); else null. */
  backgroundImageUrl: string | null;
  avatar: SceneAvatar | null;
  items: Record<string, SceneItem>;
  settings: SceneSettings;
}

/** What a scene takes from outside the design: the avatar and catalog items (read from their subgraphs in one batch each) and the background image. */
export type SceneSources = Pick<SceneInput, 'avatar' | 'items' | 'backgroundImageUrl'>;

/** What an export takes from outside the design: its scenes' sources, and the catalog items' names for the tech pack. */
export interface ExportSources {
  scene: SceneSources;
  itemNames: Record<string, string>;
}

/** The height catalog models are made for (dev-subgraphs/assets/body.ts makes them so). */
export const REFERENCE_HEIGHT = 1.7;
