import { CanvasResolver } from './canvas.resolver';
import { CollaboratorResolver } from './collaborator.resolver';
import { CommentEventResolver, CommentResolver, DesignCommentsResolver } from './comment.resolver';
import { DesignEventResolver } from './design-event.resolver';
import { DesignResolver } from './design.resolver';
import { DesignReactionsResolver } from './design-reactions.resolver';
import { ShareLinkResolver } from './share-link.resolver';
import { DesignExportsResolver, ExportResolver } from './export.resolver';
import { AvatarDesignsResolver, UserDesignsResolver } from './federation.resolver';
import { HistoryEntryResolver } from './history.resolver';
import { LayerGroupResolver, LayerResolver } from './layer.resolver';
import { DesignPresenceResolver, PresenceResolver } from './presence.resolver';
import { NotificationSettingsResolver } from './notification.resolver';
import { DesignPreviewResolver, RenderResolver } from './render.resolver';
import { AutosaveResolver, VersionResolver } from './version.resolver';

export const RESOLVERS = [
  DesignResolver,
  LayerResolver,
  LayerGroupResolver,
  CanvasResolver,
  CollaboratorResolver,
  UserDesignsResolver,
  AvatarDesignsResolver,
  HistoryEntryResolver,
  DesignEventResolver,
  VersionResolver,
  AutosaveResolver,
  ExportResolver,
  DesignExportsResolver,
  RenderResolver,
  DesignPreviewResolver,
  ShareLinkResolver,
  DesignReactionsResolver,
  PresenceResolver,
  DesignPresenceResolver,
  CommentResolver,
  CommentEventResolver,
  DesignCommentsResolver,
  NotificationSettingsResolver,
] as const;

export { referenceResolvers } from './references';
