import { randomUUID } from 'node:crypto';
import type { CommentEntity } from '../../../entities/comment.entity';
import type { Vec3 } from '../../../entities/layer.entity';
import type { ServiceContext } from '../../context';
import { Permission } from '../../domain/permissions';
import { badInput, DesignError, ErrorCode } from '../../errors/design-error';
import { CommentEventType } from '../../events/comment-event';
import { countComments, insertComment } from '../../repositories/comment.repository';
import { findLayersByIds } from '../../repositories/layer.repository';
import { isUuid } from '../../repositories/uuid';
import { findVersionsByIds } from '../../repositories/version.repository';
import { checkedBody, newlyMentioned } from './comment-body';
import type { CommentOutcome } from './comment-outcome';
import { notifyOfComment } from './notify-comment';
import { openCommentWrite, recordCommentEvent, type CommentWrite } from './comment-write';

export interface AddCommentProps {
  designId: string;
  body: string;
  layerId?: string | null;
  anchor?: Vec3 | null;
  versionId?: string | null;
}

/** The caller's new thread on the design (COMMENTER and up) [CM1], pinned to a current layer, a point, a version of the design, or nothing. */
export async function addComment(tx: ServiceContext, props: AddCommentProps): Promise<CommentOutcome> {
  const write = await openCommentWrite(tx, props.designId, Permission.Comment);
  const { body, mentionIds } = await checkedBody(write, props.body);
  await checkPins(write, props);
  const comment = await insertNewComment(write, {
    body,
    mentionIds,
    layerId: props.layerId ?? null,
    anchor: props.anchor ? { x: props.anchor.x, y: props.anchor.y, z: props.anchor.z } : null,
    versionId: props.versionId ?? null,
    parentId: null,
  });
  return notifyOfComment(tx, { comment, mentionedUserIds: newlyMentioned(mentionIds, [], write.userId), repliedToUserId: null });
}

/** A layer of the design as it is now, and a version of the design: anything else is BAD_USER_INPUT. */
async function checkPins(write: CommentWrite, props: AddCommentProps): Promise<void> {
  const { manager } = write.tx;
  if (props.layerId !== undefined && props.layerId !== null) {
    const [layer] = isUuid(props.layerId) ? await findLayersByIds(manager, [props.layerId]) : [];
    if (layer?.designId !== write.design.id) throw badInput('layerId', 'is not a layer of this design');
  }
  if (props.versionId !== undefined && props.versionId !== null) {
    const [version] = isUuid(props.versionId) ? await findVersionsByIds(manager, [props.versionId]) : [];
    if (version?.designId !== write.design.id) throw badInput('versionId', 'is not a version of this design');
  }
}

type NewComment = Pick<CommentEntity, 'body' | 'mentionIds' | 'layerId' | 'anchor' | 'versionId' | 'parentId'>;

/** Inserts a comment or a reply against the design's current revision, within the design's limit [CM7], and records ADDED. */
export async function insertNewComment(write: CommentWrite, fields: NewComment): Promise<CommentEntity> {
  const limit = write.tx.config.commentsPerDesign;
  if ((await countComments(write.tx.manager, write.design.id)) >= limit) {
    throw new DesignError(ErrorCode.LimitExceeded, `A design holds at most ${limit} comments (LIMIT_COMMENTS_PER_DESIGN)`, { limit });
  }
  const now = new Date();
  const comment: CommentEntity = {
    id: randomUUID(),
    designId: write.design.id,
    authorId: write.userId,
    ...fields,
    revision: write.design.revision,
    resolvedBy: null,
    resolvedAt: null,
    createdAt: now,
    editedAt: null,
  };
  await insertComment(write.tx.manager, comment);
  await recordCommentEvent(write, CommentEventType.ADDED, comment, now);
  return comment;
}
