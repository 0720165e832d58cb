import type { CanvasSettingsEntity } from '../../../entities/canvas-settings.entity';
import { ImageFormat } from '../../../entities/render.entity';
import type { Vec3 } from '../../../entities/layer.entity';
import { canonicalHash } from '../changes/canonical-hash';
import type { SceneSources } from '../../render/scene-input';
import type { DesignState } from '../../domain/design-state';

export interface RenderSettingsProps {
  width?: number | null;
  height?: number | null;
  format?: ImageFormat | null;
  quality?: string | null;
  camera?: { position?: Vec3 | null; target?: Vec3 | null; fov?: number | null } | null;
  transparentBackground?: boolean | null;
}

export interface RenderSettings {
  width: number;
  height: number;
  format: ImageFormat;
  quality: string;
  camera: RenderSettingsProps['camera'] | null;
  transparentBackground: boolean;
}

/** Device pixels per image pixel by render quality: DRAFT renders small and fast, ULTRA supersamples. */
export const PIXEL_RATIO: Record<string, number> = { DRAFT: 0.5, STANDARD: 1, HIGH: 1.5, ULTRA: 2 };

export function normalizeRenderSettings(
  props: RenderSettingsProps | null | undefined,
  canvas: Pick<CanvasSettingsEntity, 'renderQuality'>,
): RenderSettings {
  return {
    width: props?.width ?? 1024,
    height: props?.height ?? 1024,
    format: props?.format ?? ImageFormat.PNG,
    quality: props?.quality ?? canvas.renderQuality,
    camera: props?.camera ?? null,
    transparentBackground: props?.transparentBackground ?? false,
  };
}

/** The settings Design.preview shows. */
export const isDefaultRender = (s: RenderSettings, canvas: Pick<CanvasSettingsEntity, 'renderQuality'>) =>
  s.width === 1024 &&
  s.height === 1024 &&
  s.format === ImageFormat.PNG &&
  !s.camera &&
  !s.transparentBackground &&
  s.quality === canvas.renderQuality;

/**
 * Equal content (whatever the revision), equal settings and equal sources (the avatar's and catalog
 * items' models, textures and colours, the background image) give the same image, so the same hash:
 * a catalog item that changes makes new renders, not stale cache hits.
 */
export function renderHash(state: DesignState, sources: SceneSources, settings: RenderSettings): string {
  const { revision: _r, ...content } = state;
  return canonicalHash({ content, sources, settings });
}
