import type { Viewer } from '../../auth/viewer';
import { CollaboratorRole, DesignStatus, DesignVisibility } from '../../../entities/enums';

/** What a caller wants to do with a design (contract README, "Who may do what"). */
export enum Permission {
  Read = 'read',
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
      if (design.visibility === DesignVisibility.Public && design.status === DesignStatus.Published) return true;
      if (!viewer) return false;
      return design.role !== null || design.visibility === DesignVisibility.Shared;
    case Permission.Edit:
      return viewer !== null && (design.role === CollaboratorRole.Owner || design.role === CollaboratorRole.Editor);
    case Permission.Manage:
      return viewer !== null && design.role === CollaboratorRole.Owner;
  }
}

/**
 * The Read rule of `allows` as a SQL condition on `designs d`, for lists. `$viewerParam` is the
 * caller's id (null when anonymous). Keep the two in step.
 */
export function readableSql(viewerParam: string): string {
  return `d.deleted_at IS NULL AND (
    (d.visibility = '${DesignVisibility.Public}' AND d.status = '${DesignStatus.Published}')
    OR (${viewerParam}::uuid IS NOT NULL AND (
      d.visibility = '${DesignVisibility.Shared}'
      OR EXISTS (SELECT 1 FROM collaborators c WHERE c.design_id = d.id AND c.user_id = ${viewerParam}::uuid))))`;
}
