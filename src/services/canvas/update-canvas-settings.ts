import type { Background, CanvasSettingsEntity, Camera, Lighting } from '../../../entities/canvas-settings.entity';
import { HistoryAction, type RenderQuality } from '../../../entities/enums';
import type { Vec3 } from '../../../entities/layer.entity';
import type { ServiceContext } from '../../context';
import { DesignEventType, toJson } from '../../events/design-event';
import { findCanvas, saveCanvas } from '../../repositories/canvas.repository';
import { Permission } from '../../domain/permissions';
import { openChange, recordChange } from '../changes/change';
import { fieldDiff } from '../changes/field-diff';

export interface CanvasSettingsPatch {
  camera?: { position?: Vec3 | null; target?: Vec3 | null; fov?: number | null } | null;
  lighting?: { preset?: Lighting['preset'] | null; intensity?: number | null } | null;
  background?: Background | null;
  showGrid?: boolean | null;
  showGuides?: boolean | null;
  snapToGrid?: boolean | null;
  gridSize?: number | null;
  renderQuality?: RenderQuality | null;
  antialiasing?: boolean | null;
  shadows?: boolean | null;
  ambientOcclusion?: boolean | null;
}

const definedOr = <T>(value: T | null | undefined, fallback: T): T => (value === null || value === undefined ? fallback : value);

function merge(current: CanvasSettingsEntity, patch: CanvasSettingsPatch): Partial<CanvasSettingsEntity> {
  const camera: Camera | undefined = patch.camera
    ? {
        position: definedOr(patch.camera.position, current.camera.position),
        target: definedOr(patch.camera.target, current.camera.target),
        fov: definedOr(patch.camera.fov, current.camera.fov),
      }
    : undefined;
  const lighting: Lighting | undefined = patch.lighting
    ? {
        preset: definedOr(patch.lighting.preset, current.lighting.preset),
        intensity: definedOr(patch.lighting.intensity, current.lighting.intensity),
      }
    : undefined;
  const { camera: _c, lighting: _l, ...flat } = patch;
  const rest = Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== null && v !== undefined));
  return { ...rest, camera, lighting } as Partial<CanvasSettingsEntity>;
}

export async function updateCanvasSettings(
  tx: ServiceContext,
  props: { designId: string; input: CanvasSettingsPatch; expectedRevision?: number | null },
): Promise<CanvasSettingsEntity> {
  const design = await openChange(tx, props.designId, Permission.Edit, props.expectedRevision);
  const canvas = await findCanvas(tx.manager, design.id);
  const { before, after, changed } = fieldDiff(canvas, merge(canvas, props.input));
  if (changed.length === 0) return canvas;
  Object.assign(canvas, after);
  await saveCanvas(tx.manager, canvas);
  await recordChange(tx, design, {
    action: HistoryAction.CANVAS_UPDATED,
    data: { before, after },
    event: { type: DesignEventType.CANVAS_UPDATED, canvas: toJson(canvas) },
  });
  return canvas;
}
