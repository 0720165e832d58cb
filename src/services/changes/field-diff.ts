import { sameValue } from './canonical-hash';

/** The fields of `next` whose values differ from `current`, as before/after maps. */
export function fieldDiff<T extends object>(current: T, next: Partial<T>) {
  const before: Partial<T> = {};
  const after: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    const value = next[key];
    if (value === undefined) continue;
    if (!sameValue(current[key], value)) {
      before[key] = current[key];
      after[key] = value;
    }
  }
  return { before, after, changed: Object.keys(after) as (keyof T)[] };
}
