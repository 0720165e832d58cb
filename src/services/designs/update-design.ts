import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction, type DesignCategory, type DesignVisibility } from '../../../entities/enums';
import type { ServiceContext } from '../../context';
import { updateDesignFields } from '../../repositories/design.repository';
import { Permission } from '../access/permissions';
import { openChange, recordChange } from '../changes/change';
import { fieldDiff } from '../changes/field-diff';
import { checkAvatar } from './check-avatar';

export interface UpdateDesignProps {
  designId: string;
  expectedRevision?: number | null;
  name?: string;
  description?: string | null;
  avatarId?: string | null;
  category?: DesignCategory | null;
  tags?: string[];
  occasions?: string[];
  seasons?: string[];
  visibility?: DesignVisibility;
}

/** Editors change what the design is; only the owner changes who sees it (visibility). */
export async function updateDesign(tx: ServiceContext, props: UpdateDesignProps): Promise<DesignEntity> {
  const { designId, expectedRevision, ...fields } = props;
  const permission = fields.visibility !== undefined ? Permission.Manage : Permission.Edit;
  const design = await openChange(tx, designId, permission, expectedRevision);
  const { before, after, changed } = fieldDiff(design, fields);
  if (changed.length === 0) return design;
  if (after.avatarId) await checkAvatar(tx, after.avatarId, design.ownerId);

  await updateDesignFields(tx.manager, design.id, after);
  Object.assign(design, after);
  await recordChange(tx, design, HistoryAction.DESIGN_UPDATED, { before, after });
  return design;
}
