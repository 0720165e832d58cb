import { registerEnumType } from 'type-graphql';
import {
  BackgroundType,
  BlendMode,
  CollaboratorRole,
  DesignCategory,
  DesignStatus,
  DesignVisibility,
  HistoryAction,
  LayerType,
  LightingPreset,
  RenderQuality,
} from '../../entities/enums';
import { DesignOrder, DesignScope } from '../../src/domain/design-list';

registerEnumType(DesignStatus, { name: 'DesignStatus' });
registerEnumType(DesignVisibility, { name: 'DesignVisibility' });
registerEnumType(DesignCategory, { name: 'DesignCategory' });
registerEnumType(CollaboratorRole, { name: 'CollaboratorRole' });
registerEnumType(LayerType, { name: 'LayerType' });
registerEnumType(BlendMode, {
  name: 'BlendMode',
  valuesConfig: {
    OVERLAY: {
      description:
        'Mixed with what lies beneath in sRGB, as image editors do, in renders, images, videos and tech packs; 3D model exports carry the plain material (glTF has no blend modes).',
    },
  },
});
registerEnumType(LightingPreset, { name: 'LightingPreset' });
registerEnumType(BackgroundType, { name: 'BackgroundType' });
registerEnumType(RenderQuality, { name: 'RenderQuality' });
registerEnumType(HistoryAction, { name: 'HistoryAction' });
registerEnumType(DesignScope, {
  name: 'DesignScope',
  valuesConfig: {
    MINE: { description: 'Designs the caller owns.' },
    SHARED_WITH_ME: { description: 'Designs on which the caller is a collaborator but not the owner.' },
    PUBLIC: { description: 'Published public designs of anyone.' },
  },
});
registerEnumType(DesignOrder, { name: 'DesignOrder' });

export {
  BackgroundType,
  BlendMode,
  CollaboratorRole,
  DesignCategory,
  DesignOrder,
  DesignScope,
  DesignStatus,
  DesignVisibility,
  HistoryAction,
  LayerType,
  LightingPreset,
  RenderQuality,
};
