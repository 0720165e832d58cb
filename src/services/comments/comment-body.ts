import { userMayRead } from '../../domain/comment-permissions';
import { bodyProblem, MENTIONS_MAX, mentionedUserIds } from '../../domain/comment-text';
import { badInput, DesignError, ErrorCode } from '../../errors/design-error';
import { findRolesOf } from '../../repositories/comment.repository';
import type { CollaboratorRole } from '../../../entities/enums';
import type { CommentWrite } from './comment-write';

/**
 * A body checked as it will be kept [CM5, CM6]: plain text of 1 to 5000 characters, mentioning with
 * `@[user-uuid]` at most MENTIONS_MAX users, each of whom may read the design; the mentioned ids.
 * Users who may not read it are refused as BAD_USER_INPUT naming them (`userIds`): a mention must not
 * hand someone a design, nor tell them it exists.
 */
export async function checkedBody(write: CommentWrite, body: string): Promise<{ body: string; mentionIds: string[] }> {
  const problem = bodyProblem(body);
  if (problem) throw badInput('body', problem);
  const mentionIds = mentionedUserIds(body);
  if (mentionIds.length > MENTIONS_MAX) throw badInput('body', `mentions ${mentionIds.length} users, more than ${MENTIONS_MAX}`);
  const roles = await findRolesOf(write.tx.manager, write.design.id, mentionIds);
  const { visibility, status } = write.design;
  const refused = mentionIds.filter(
    (userId) => !userMayRead(userId, { visibility, status, role: (roles.get(userId) as CollaboratorRole | undefined) ?? null }),
  );
  if (refused.length > 0) {
    throw new DesignError(ErrorCode.BadUserInput, `body: mentions users who may not read this design: ${refused.join(', ')}`, {
      field: 'body',
      userIds: refused,
    });
  }
  return { body, mentionIds };
}

/** Mentioned now and not before, and not the author: whom a new mention should notify. */
export function newlyMentioned(mentionIds: string[], before: string[], authorId: string): string[] {
  return mentionIds.filter((id) => id !== authorId && !before.includes(id));
}
