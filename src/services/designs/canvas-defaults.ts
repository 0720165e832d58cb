import type { CanvasSettingsEntity } from '../../../entities/canvas-settings.entity';
import { BackgroundType, LightingPreset, RenderQuality } from '../../../entities/enums';

/** The contract's defaults for a new design's canvas. */
export function defaultCanvas(designId: string): CanvasSettingsEntity {
  return {
    designId,
    camera: { position: { x: 0, y: 1.6, z: 3 }, target: { x: 0, y: 1, z: 0 }, fov: 50 },
    lighting: { preset: LightingPreset.STUDIO, intensity: 1 },
    background: { type: BackgroundType.COLOR, value: '#f0f0f0' },
    showGrid: true,
    showGuides: false,
    snapToGrid: false,
    gridSize: 10,
    renderQuality: RenderQuality.STANDARD,
    antialiasing: true,
    shadows: true,
    ambientOcclusion: false,
  };
}
