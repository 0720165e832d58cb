import type { Config } from '../config';
import { EntityClient } from './entity-client';

export interface CatalogItem {
  id: string;
  name: string;
  type: 'SILHOUETTE' | 'FABRIC' | 'PATTERN' | 'ELEMENT' | 'ACCESSORY';
  available: boolean;
  defaultColor: string | null;
  compatibleBodyTypes: string[];
}

export interface Avatar {
  id: string;
  ownerId: string;
  isPublic: boolean;
  bodyType: string;
}

export interface UpstreamClients {
  catalog: EntityClient<CatalogItem>;
  avatars: EntityClient<Avatar>;
}

export function createUpstreamClients(config: Config): UpstreamClients {
  return {
    catalog: new EntityClient<CatalogItem>('catalog', config.catalogSubgraphUrl, 'CatalogItem',
      'id name type available defaultColor compatibleBodyTypes', config.upstreamTimeoutMs, config.upstreamCacheTtlMs),
    avatars: new EntityClient<Avatar>('avatar', config.avatarSubgraphUrl, 'Avatar',
      'id ownerId isPublic bodyType', config.upstreamTimeoutMs, config.upstreamCacheTtlMs),
  };
}
