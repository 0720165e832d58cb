import type { ExportEntity } from '../../../entities/export.entity';
import type { ServiceContext } from '../../context';
import { pageExports } from '../../repositories/export.repository';
import { cursorPart, decodeCursor, pageSize, toPage, type Page } from '../pagination';

/** The exports of a design the caller may already read, newest first. */
export async function listExports(
  ctx: ServiceContext,
  props: { designId: string; first?: number | null; after?: string | null },
): Promise<Page<ExportEntity>> {
  const tag = `exports:${props.designId}`;
  const after = decodeCursor(tag, props.after, [cursorPart.timestamp, cursorPart.uuid]);
  const page = await pageExports(ctx.manager, props.designId, pageSize(props.first, 20), after ? { at: after[0], id: after[1] } : null);
  return toPage(
    page.rows.map(({ entity, sortKey }) => ({ node: entity, position: [sortKey, entity.id] })),
    tag,
    page.hasNextPage,
    page.totalCount,
  );
}
