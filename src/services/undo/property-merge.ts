import { sameValue as same } from '../changes/canonical-hash';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The rule of undo and redo for properties (docs/collaboration.md U2): a property goes back only if
 * it still holds the value this change gave it; if anyone changed it since, it stays as it is.
 * Object-valued properties (transform, customization, camera, lighting, background) follow the rule
 * one level down, so undoing a move keeps someone else's later change of scale.
 */
export function revertProperties<T extends object>(current: T, from: Partial<T>, to: Partial<T>, skip: readonly string[] = []): Partial<T> {
  const next: Record<string, unknown> = {};
  for (const key of Object.keys(to)) {
    if (skip.includes(key)) continue;
    const now = (current as Record<string, unknown>)[key];
    const was = (from as Record<string, unknown>)[key];
    const target = (to as Record<string, unknown>)[key];
    if (isObject(now) && isObject(was) && isObject(target)) {
      const merged = { ...now };
      for (const sub of new Set([...Object.keys(was), ...Object.keys(target)])) {
        if (same(now[sub], was[sub])) merged[sub] = target[sub];
      }
      if (!same(merged, now)) next[key] = merged;
    } else if (same(now, was) && !same(now, target)) {
      next[key] = target;
    }
  }
  return next as Partial<T>;
}
