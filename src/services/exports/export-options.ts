import { ExportFormat, ExportType } from '../../../entities/export.entity';
import { badInput } from '../../errors/design-error';

export const FORMATS_BY_TYPE: Record<ExportType, ExportFormat[]> = {
  [ExportType.IMAGE]: [ExportFormat.PNG, ExportFormat.JPEG, ExportFormat.WEBP],
  [ExportType.VIDEO]: [ExportFormat.MP4, ExportFormat.WEBM, ExportFormat.GIF],
  [ExportType.MODEL]: [ExportFormat.GLB, ExportFormat.GLTF, ExportFormat.OBJ],
  [ExportType.TECHPACK]: [ExportFormat.PDF],
};

export interface ImageOptions {
  width: number;
  height: number;
  transparentBackground: boolean;
  angles: number[];
}
export interface ModelOptions {
  includeAvatar: boolean;
  visibleOnly: boolean;
}
export interface VideoOptions {
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
  rotationDegrees: number;
}
export interface TechpackOptions {
  includeRenders: boolean;
  notes: string | null;
}
export type ExportOptions = { image: ImageOptions } | { model: ModelOptions } | { video: VideoOptions } | { techpack: TechpackOptions };

export interface ExportRequestProps {
  type: ExportType;
  format: ExportFormat;
  image?: { width?: number | null; height?: number | null; transparentBackground?: boolean | null; angles?: number[] | null } | null;
  model?: { includeAvatar?: boolean | null; visibleOnly?: boolean | null } | null;
  video?: {
    width?: number | null;
    height?: number | null;
    fps?: number | null;
    durationSeconds?: number | null;
    rotationDegrees?: number | null;
  } | null;
  techpack?: { includeRenders?: boolean | null; notes?: string | null } | null;
}

const MAX_ANGLES = 12;
const size = (value: number | null | undefined, field: string, fallback = 2048) => {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 16 || v > 4096) throw badInput(field, 'must be from 16 to 4096');
  return v;
};

/** The options of a valid request, with their defaults; the wrong pairs and values are BAD_USER_INPUT. */
export function exportOptions(props: ExportRequestProps): ExportOptions {
  if (!FORMATS_BY_TYPE[props.type].includes(props.format)) {
    throw badInput('format', `${props.type} exports take ${FORMATS_BY_TYPE[props.type].join(', ')}, not ${props.format}`);
  }
  if (props.type === ExportType.IMAGE) {
    const angles = props.image?.angles ?? [];
    if (angles.length > MAX_ANGLES) throw badInput('image.angles', `at most ${MAX_ANGLES} extra views`);
    if (angles.some((a) => !Number.isFinite(a) || Math.abs(a) > 3600)) throw badInput('image.angles', 'must be degrees from -3600 to 3600');
    return {
      image: {
        width: size(props.image?.width, 'image.width'),
        height: size(props.image?.height, 'image.height'),
        transparentBackground: props.image?.transparentBackground ?? false,
        angles,
      },
    };
  }
  if (props.type === ExportType.VIDEO) {
    const fps = props.video?.fps ?? 30;
    const durationSeconds = props.video?.durationSeconds ?? 6;
    const rotationDegrees = props.video?.rotationDegrees ?? 360;
    if (!Number.isInteger(fps) || fps < 1 || fps > 60) throw badInput('video.fps', 'must be from 1 to 60');
    if (!Number.isFinite(durationSeconds) || durationSeconds < 1 || durationSeconds > 60)
      throw badInput('video.durationSeconds', 'must be from 1 to 60');
    if (!Number.isFinite(rotationDegrees) || Math.abs(rotationDegrees) > 3600)
      throw badInput('video.rotationDegrees', 'must be from -3600 to 3600');
    // H.264 in yuv420p needs even sides.
    const even = (v: number) => v - (v % 2);
    return {
      video: {
        width: even(size(props.video?.width, 'video.width', 1280)),
        height: even(size(props.video?.height, 'video.height', 720)),
        fps,
        durationSeconds,
        rotationDegrees,
      },
    };
  }
  if (props.type === ExportType.TECHPACK) {
    const notes = props.techpack?.notes ?? null;
    if (notes && notes.length > 10_000) throw badInput('techpack.notes', 'must be at most 10000 characters');
    return { techpack: { includeRenders: props.techpack?.includeRenders ?? true, notes } };
  }
  return { model: { includeAvatar: props.model?.includeAvatar ?? true, visibleOnly: props.model?.visibleOnly ?? true } };
}
