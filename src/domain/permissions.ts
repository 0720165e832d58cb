import type { Viewer } from '../auth/viewer';
import { CollaboratorRole, DesignStatus, DesignVisibility } from '../../entities/enums';

/** What a caller wants to do with a design (contract README, "Who may do what"). */
export enum Permission {
  Read = 'read',
  /** Write, reply to and resolve comments (issue 14): COMMENTER and up. */
  Comment = 'comment',
  /** Layers, canvas, name, tags, undo/redo, checkpoints, renders, exports. */
  Edit = 'edit',
  /** Visibility, publish, archive, collaborators, delete. */
  Manage = 'manage',
}

interface AccessFacts {
  visibility: DesignVisibility;
  status: DesignStatus;
  /** The caller's collaborator role, if any. */
  role: CollaboratorRole | null;
}

export function allows(viewer: Viewer, design: AccessFacts, permission: Permission): boolean {
  switch (permission) {
    case Permission.Read:
      if (design.visibility === DesignVisibility.PUBLIC && design.status === DesignStatus.PUBLISHED) return true;
      if (!viewer) return false;
      return design.role !== null || design.visibility === DesignVisibility.SHARED;
    case Permission.Comment:
      return viewer !== null && (design.role === CollaboratorRole.COMMENTER || allows(viewer, design, Permission.Edit));
    case Permission.Edit:
      return viewer !== null && (design.role === CollaboratorRole.OWNER || design.role === CollaboratorRole.EDITOR);
    case Permission.Manage:
      return viewer !== null && design.role === CollaboratorRole.OWNER;
  }
}

/** Of designs read with the caller's role on each, those the caller may `permission`. */
export function permitted<T extends Omit<AccessFacts, 'role'> & { viewerRole: CollaboratorRole | null }>(
  viewer: Viewer,
  designs: T[],
  permission: Permission,
): T[] {
  return designs.filter((design) => allows(viewer, { ...design, role: design.viewerRole }, permission));
}

/**
 * The Read rule of `allows` as a SQL condition on `designs d`, for lists. `$viewerParam` is the
 * caller's id (null when anonymous). Keep the two in step.
 */
export function readableSql(viewerParam: string): string {
  return `d.deleted_at IS NULL AND (
    (d.visibility = '${DesignVisibility.PUBLIC}' AND d.status = '${DesignStatus.PUBLISHED}')
    OR (${viewerParam}::uuid IS NOT NULL AND (
      d.visibility = '${DesignVisibility.SHARED}'
      OR EXISTS (SELECT 1 FROM collaborators c WHERE c.design_id = d.id AND c.user_id = ${viewerParam}::uuid))))`;
}
