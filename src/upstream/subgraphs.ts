import type { Config } from '../config';
import { EntityClient } from './entity-client';

export interface CatalogItem {
  id: string;
  name: string;
  type: 'SILHOUETTE' | 'FABRIC' | 'PATTERN' | 'ELEMENT' | 'ACCESSORY';
  available: boolean;
  defaultColor: string | null;
  compatibleBodyTypes: string[];
  modelUrl: string | null;
  textureUrl: string | null;
}

export interface Avatar {
  id: string;
  ownerId: string;
  isPublic: boolean;
  bodyType: string;
  height: number;
  modelUrl: string;
}

export interface UpstreamClients {
  catalog: EntityClient<CatalogItem>;
  avatars: EntityClient<Avatar>;
}

export function createUpstreamClients(config: Config): UpstreamClients {
  return {
    catalog: new EntityClient<CatalogItem>(
      'catalog',
      config.catalogSubgraphUrl,
      'CatalogItem',
      'id name type available defaultColor compatibleBodyTypes modelUrl textureUrl',
      config.upstreamTimeoutMs,
      config.upstreamCacheTtlMs,
    ),
    avatars: new EntityClient<Avatar>(
      'avatar',
      config.avatarSubgraphUrl,
      'Avatar',
      'id ownerId isPublic bodyType height modelUrl',
      config.upstreamTimeoutMs,
      config.upstreamCacheTtlMs,
    ),
  };
}
