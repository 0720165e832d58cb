import type { CommentEntity } from '../../../entities/comment.entity';
import type { ServiceContext } from '../../context';
import { badInput } from '../../errors/design-error';
import { lastCommentSeq } from '../../repositories/comment-event.repository';
import { pageThreads } from '../../repositories/comment.repository';
import { commentCursorAt } from '../live/comment-events';
import { isUuid } from '../../repositories/uuid';
import { cursorPart, decodeCursor, pageSize, toPage, type Page } from '../pagination';

/**
 * A design's threads (its top-level comments) for a caller who may already read it, newest first;
 * `resolved` and `layerId` narrow them. `eventCursor` is read before the page: every event after it
 * may or may not show in the page already, so commentEvents from it repeats some, never skips one [CM10].
 */
export async function listComments(
  ctx: ServiceContext,
  props: { designId: string; first?: number | null; after?: string | null; resolved?: boolean | null; layerId?: string | null },
): Promise<Page<CommentEntity> & { eventCursor: string }> {
  if (props.layerId !== undefined && props.layerId !== null && !isUuid(props.layerId)) throw badInput('layerId', 'must be a UUID');
  // The filter is part of the list: a cursor of another filter would skip or repeat threads.
  const tag = `comments:${props.designId}:${props.resolved ?? ''}:${props.layerId ?? ''}`;
  const after = decodeCursor(tag, props.after, [cursorPart.timestamp, cursorPart.uuid]);
  const eventCursor = commentCursorAt(props.designId, await lastCommentSeq(ctx.manager, props.designId));
  const page = await pageThreads(
    ctx.manager,
    { designId: props.designId, resolved: props.resolved, layerId: props.layerId },
    pageSize(props.first, 20),
    after ? { at: after[0], id: after[1] } : null,
  );
  const rows = page.rows.map(({ entity, sortKey }) => ({ node: entity, position: [sortKey, entity.id] }));
  return { ...toPage(rows, tag, page.hasNextPage, page.totalCount), eventCursor };
}
