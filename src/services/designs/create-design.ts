import { randomUUID } from 'node:crypto';
import type { DesignEntity } from '../../../entities/design.entity';
import { HistoryAction } from '../../../entities/enums';
import { VersionKind } from '../../../entities/version.entity';
import { requireViewer, type ServiceContext } from '../../context';
import { designJson, DesignEventType } from '../../events/design-event';
import { idTaken } from '../../errors/design-error';
import { findDesignById } from '../../repositories/design.repository';
import { canonicalHash } from '../changes/canonical-hash';
import { recordChange } from '../changes/change';
import { captureVersion } from '../versions/capture-version';
import { checkAvatar } from './check-avatar';
import type { DesignFields } from './design-fields';
import { insertNewDesign } from './insert-new-design';

export interface CreateDesignProps extends DesignFields {
  /** Client-generated: a retry with the same id and input returns the design it created. */
  id?: string;
}

/** A retry with the same client id and the same input returns the design it created; any other use of a taken id is `idTaken`. */
function replayOrRefuse(existing: DesignEntity, ownerId: string, hash: string): DesignEntity {
  if (existing.ownerId === ownerId && existing.creationHash === hash && !existing.deletedAt) return existing;
  throw idTaken();
}

export async function createDesign(tx: ServiceContext, props: CreateDesignProps): Promise<DesignEntity> {
  const viewer = requireViewer(tx);
  const { id: clientId, ...input } = props;
  const hash = canonicalHash(input);
  if (clientId) {
    const existing = await findDesignById(tx.manager, clientId);
    if (existing) return replayOrRefuse(existing, viewer.userId, hash);
  }
  if (props.avatarId) await checkAvatar(tx, props.avatarId, viewer.userId);

  const design = await insertNewDesign(tx, { ...input, id: clientId ?? randomUUID(), creationHash: hash });
  // Null: a concurrent request with the same client id won the insert.
  if (!design) return replayOrRefuse((await findDesignById(tx.manager, clientId!))!, viewer.userId, hash);
  await recordChange(tx, design, {
    action: HistoryAction.DESIGN_CREATED,
    data: { after: designJson(design) },
    event: { type: DesignEventType.DESIGN_UPDATED },
    withDesign: true,
  });
  await captureVersion(tx, design, VersionKind.INITIAL, { revision: design.revision });
  return design;
}
