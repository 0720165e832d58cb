import { CanvasSettingsEntity } from './canvas-settings.entity';
import { CommentEntity } from './comment.entity';
import { CollaboratorEntity } from './collaborator.entity';
import { DesignEntity } from './design.entity';
import { ExportEntity } from './export.entity';
import { HistoryEntryEntity } from './history-entry.entity';
import { LayerGroupEntity } from './layer-group.entity';
import { LayerEntity } from './layer.entity';
import { RenderEntity } from './render.entity';
import { ShareLinkEntity } from './share-link.entity';
import { VersionEntity } from './version.entity';

export const ENTITIES = [
  DesignEntity,
  LayerEntity,
  LayerGroupEntity,
  CanvasSettingsEntity,
  CollaboratorEntity,
  HistoryEntryEntity,
  VersionEntity,
  ExportEntity,
  RenderEntity,
  ShareLinkEntity,
  CommentEntity,
];
