import type { EntityManager } from 'typeorm';

/**
 * A data-modifying statement of a repository, not yet run: its text (a `prepared` one, placeholders
 * $1…$n) and their values. Run on its own (`runWrite`), or by advanceRevision in the statement that
 * records the change, which saves the change a round trip to PostgreSQL.
 */
export interface PendingWrite {
  text: string;
  params: unknown[];
}

export async function runWrite(m: EntityManager, write: PendingWrite): Promise<void> {
  await m.query(write.text, write.params);
}

/** The write's text with its placeholders moved past the `offset` parameters of the statement it joins. */
export function shiftPlaceholders(text: string, offset: number): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}
