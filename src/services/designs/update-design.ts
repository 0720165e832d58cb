import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import type { ServiceContext } from '../../context';
import { DesignEventType } from '../../events/design-event';
import { updateDesignFields } from '../../repositories/design.repository';
import { Permission } from '../../domain/permissions';
import { openChange, recordChange } from '../changes/change';
import { fieldDiff } from '../changes/field-diff';
import { checkAvatar } from './check-avatar';
import type { DesignFields } from './design-fields';

/** null on a field that cannot be empty leaves it as it is (as for layers and canvas). */
export type UpdateDesignProps = { [K in keyof DesignFields]?: DesignFields[K] | null } & {
  designId: string;
  expectedRevision?: number | null;
};

const orUnchanged = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** Editors change what the design is; only the owner changes who sees it (visibility). */
export async function updateDesign(tx: ServiceContext, props: UpdateDesignProps): Promise<DesignEntity> {
  const { designId, expectedRevision, name, tags, occasions, seasons, visibility, ...clearable } = props;
  const fields: Partial<DesignEntity> = {
    ...clearable,
    name: orUnchanged(name),
    tags: orUnchanged(tags),
    occasions: orUnchanged(occasions),
    seasons: orUnchanged(seasons),
    visibility: orUnchanged(visibility),
  };
  const permission = fields.visibility !== undefined ? Permission.Manage : Permission.Edit;
  const design = await openChange(tx, designId, permission, expectedRevision);
  const { before, after, changed } = fieldDiff(design, fields);
  if (changed.length === 0) return design;
  if (after.avatarId) await checkAvatar(tx, after.avatarId, design.ownerId);

  await updateDesignFields(tx.manager, design.id, after);
  Object.assign(design, after);
  await recordChange(tx, design, {
    action: HistoryAction.DESIGN_UPDATED,
    data: { before, after },
    event: { type: DesignEventType.DESIGN_UPDATED },
    withDesign: true,
  });
  return design;
}
