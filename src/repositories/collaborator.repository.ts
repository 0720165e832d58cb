import { In, type EntityManager } from 'typeorm';
import { CollaboratorEntity } from '../../entities/collaborator.entity';
import { isUuid } from './uuid';

export async function findCollaboratorsByDesignIds(m: EntityManager, designIds: readonly string[]): Promise<CollaboratorEntity[]> {
  if (designIds.length === 0) return [];
  return m.find(CollaboratorEntity, { where: { designId: In([...designIds]) }, order: { addedAt: 'ASC', userId: 'ASC' } });
}

export async function findCollaborator(m: EntityManager, designId: string, userId: string): Promise<CollaboratorEntity | null> {
  if (!isUuid(userId)) return null;
  return m.findOneBy(CollaboratorEntity, { designId, userId });
}

export async function upsertCollaborator(m: EntityManager, collaborator: CollaboratorEntity): Promise<void> {
  await m.save(CollaboratorEntity, collaborator);
}

export async function deleteCollaborator(m: EntityManager, designId: string, userId: string): Promise<void> {
  await m.delete(CollaboratorEntity, { designId, userId });
}
