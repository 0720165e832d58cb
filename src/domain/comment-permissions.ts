import type { Viewer } from '../auth/viewer';
import type { CollaboratorRole, DesignStatus, DesignVisibility } from '../../entities/enums';
import { allows, Permission } from './permissions';

export enum CommentAction {
  Edit = 'edit',
  Delete = 'delete',
  Resolve = 'resolve',
}

interface DesignFacts {
  visibility: DesignVisibility;
  status: DesignStatus;
  role: CollaboratorRole | null;
}

/**
 * Who may act on an existing comment (docs/collaboration.md CM2-CM4): only someone who may comment
 * on the design now (COMMENTER and up), and then its author, or for deleting the OWNER, for
 * resolving EDITOR and up. A collaborator demoted to VIEWER keeps their comments but cannot touch them.
 */
export function mayActOnComment(viewer: Viewer, design: DesignFacts, authorId: string, action: CommentAction): boolean {
  if (!viewer || !allows(viewer, design, Permission.Comment)) return false;
  if (viewer.userId === authorId) return true;
  switch (action) {
    case CommentAction.Edit:
      return false;
    case CommentAction.Delete:
      return allows(viewer, design, Permission.Manage);
    case CommentAction.Resolve:
      return allows(viewer, design, Permission.Edit);
  }
}

/** Whether a user (not the caller) may read the design: who may be mentioned [CM5]. */
export function userMayRead(userId: string, design: DesignFacts): boolean {
  // `allows` asks of a viewer only that there is one; the tier plays no part in reading.
  return allows({ userId, tier: 'free' }, design, Permission.Read);
}
