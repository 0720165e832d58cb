import { ExportFormat, ExportType } from '../../../entities/export.entity';
import { badInput, DesignError, ErrorCode } from '../../errors/design-error';

export const FORMATS_BY_TYPE: Record<ExportType, ExportFormat[]> = {
  [ExportType.IMAGE]: [ExportFormat.PNG, ExportFormat.JPEG, ExportFormat.WEBP],
  [ExportType.VIDEO]: [ExportFormat.MP4, ExportFormat.WEBM, ExportFormat.GIF],
  [ExportType.MODEL]: [ExportFormat.GLB, ExportFormat.GLTF, ExportFormat.OBJ],
  [ExportType.TECHPACK]: [ExportFormat.PDF],
};

/** Built so far; VIDEO and TECHPACK answer NOT_IMPLEMENTED until their pipelines exist. */
const BUILT: ReadonlySet<ExportType> = new Set([ExportType.IMAGE, ExportType.MODEL]);

export interface ImageOptions { width: number; height: number; transparentBackground: boolean; angles: number[] }
export interface ModelOptions { includeAvatar: boolean; visibleOnly: boolean }
export type ExportOptions = { image: ImageOptions } | { model: ModelOptions };

export interface ExportRequestProps {
  type: ExportType;
  format: ExportFormat;
  image?: { width?: number | null; height?: number | null; transparentBackground?: boolean | null; angles?: number[] | null } | null;
  model?: { includeAvatar?: boolean | null; visibleOnly?: boolean | null } | null;
}

const MAX_ANGLES = 12;
const size = (value: number | null | undefined, field: string) => {
  const v = value ?? 2048;
  if (!Number.isInteger(v) || v < 16 || v > 4096) throw badInput(field, 'must be from 16 to 4096');
  return v;
};

/** The options of a valid request, with their defaults; the wrong pairs and values are BAD_USER_INPUT. */
export function exportOptions(props: ExportRequestProps): ExportOptions {
  if (!FORMATS_BY_TYPE[props.type].includes(props.format)) {
    throw badInput('format', `${props.type} exports take ${FORMATS_BY_TYPE[props.type].join(', ')}, not ${props.format}`);
  }
  if (!BUILT.has(props.type)) throw new DesignError(ErrorCode.NotImplemented, `${props.type} exports are not implemented yet`);
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
  return { model: { includeAvatar: props.model?.includeAvatar ?? true, visibleOnly: props.model?.visibleOnly ?? true } };
}
