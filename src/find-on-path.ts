import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first of `names` found in a folder of the PATH, as a full path; null when none is installed. */
export function findOnPath(names: readonly string[]): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}
