import { In, type EntityManager } from 'typeorm';
import { CanvasSettingsEntity } from '../../entities/canvas-settings.entity';

export async function findCanvasByDesignIds(m: EntityManager, designIds: readonly string[]): Promise<CanvasSettingsEntity[]> {
  if (designIds.length === 0) return [];
  return m.findBy(CanvasSettingsEntity, { designId: In([...designIds]) });
}

export async function findCanvas(m: EntityManager, designId: string): Promise<CanvasSettingsEntity> {
  return m.findOneByOrFail(CanvasSettingsEntity, { designId });
}

export async function saveCanvas(m: EntityManager, canvas: CanvasSettingsEntity): Promise<void> {
  await m.save(CanvasSettingsEntity, canvas);
}
