import type { Json, LayerCustomization, Transform, Vec3 } from '../../../entities/layer.entity';

export interface TransformPatch {
  position?: Vec3 | null;
  rotation?: Vec3 | null;
  scale?: Vec3 | null;
}
export interface CustomizationPatch {
  color?: string | null;
  materialItemId?: string | null;
  /** Null restores the default. */
  textureScale?: number | null;
  roughness?: number | null;
  metalness?: number | null;
  extra?: unknown;
}

export const IDENTITY_TRANSFORM: Transform = {
  position: { x: 0, y: 0, z: 0 },
  rotation: { x: 0, y: 0, z: 0 },
  scale: { x: 1, y: 1, z: 1 },
};

export const DEFAULT_CUSTOMIZATION: LayerCustomization = {
  color: null,
  materialItemId: null,
  textureScale: 1,
  roughness: null,
  metalness: null,
  extra: null,
};

export function mergeTransform(current: Transform, patch: TransformPatch | null | undefined): Transform {
  if (!patch) return current;
  return {
    position: patch.position ?? current.position,
    rotation: patch.rotation ?? current.rotation,
    scale: patch.scale ?? current.scale,
  };
}

/** Omitted fields keep their value; an explicit null clears a nullable one. */
export function mergeCustomization(current: LayerCustomization, patch: CustomizationPatch | null | undefined): LayerCustomization {
  if (!patch) return current;
  const pick = <T>(value: T | undefined, fallback: T) => (value === undefined ? fallback : value);
  return {
    color: pick(patch.color, current.color),
    materialItemId: pick(patch.materialItemId, current.materialItemId),
    textureScale: pick(patch.textureScale, current.textureScale) ?? DEFAULT_CUSTOMIZATION.textureScale,
    roughness: pick(patch.roughness, current.roughness),
    metalness: pick(patch.metalness, current.metalness),
    extra: pick(patch.extra as Json | undefined, current.extra),
  };
}
