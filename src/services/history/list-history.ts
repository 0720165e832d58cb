import type { HistoryEntryEntity } from '../../../entities/history-entry.entity';
import type { ServiceContext } from '../../context';
import { pageHistory } from '../../repositories/history.repository';
import { cursorPart, decodeCursor, pageSize, toPage, type Page } from '../pagination';

/** The change log of a design the caller has already been allowed to read, newest first. */
export async function listHistory(
  ctx: ServiceContext,
  props: { designId: string; first?: number | null; after?: string | null },
): Promise<Page<HistoryEntryEntity>> {
  const tag = `history:${props.designId}`;
  const after = decodeCursor(tag, props.after, [cursorPart.int]);
  const page = await pageHistory(ctx.manager, props.designId, pageSize(props.first, 50), after ? after[0] : null);
  return toPage(
    page.rows.map((entry) => ({ node: entry, position: [entry.revision] })),
    tag,
    page.hasNextPage,
    page.totalCount,
  );
}
