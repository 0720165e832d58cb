import type { CommentEntity } from '../../../entities/comment.entity';
import type { ServiceContext } from '../../context';
import { badInput } from '../../errors/design-error';
import { pageThreads } from '../../repositories/comment.repository';
import { isUuid } from '../../repositories/uuid';
import { cursorPart, decodeCursor, pageSize, toPage, type Page } from '../pagination';

/** A design's threads (its top-level comments) for a caller who may already read it, newest first; `resolved` and `layerId` narrow them. */
export async function listComments(
  ctx: ServiceContext,
  props: { designId: string; first?: number | null; after?: string | null; resolved?: boolean | null; layerId?: string | null },
): Promise<Page<CommentEntity>> {
  if (props.layerId !== undefined && props.layerId !== null && !isUuid(props.layerId)) throw badInput('layerId', 'must be a UUID');
  // The filter is part of the list: a cursor of another filter would skip or repeat threads.
  const tag = `comments:${props.designId}:${props.resolved ?? ''}:${props.layerId ?? ''}`;
  const after = decodeCursor(tag, props.after, [cursorPart.timestamp, cursorPart.uuid]);
  const page = await pageThreads(
    ctx.manager,
    { designId: props.designId, resolved: props.resolved, layerId: props.layerId },
    pageSize(props.first, 20),
    after ? { at: after[0], id: after[1] } : null,
  );
  return toPage(
    page.rows.map(({ entity, sortKey }) => ({ node: entity, position: [sortKey, entity.id] })),
    tag,
    page.hasNextPage,
    page.totalCount,
  );
}
