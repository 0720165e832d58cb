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

/** What this subgraph reads of a user (users subgraph): where to write to them, and what to call them. */
export interface UserContact {
  id: string;
  email: string | null;
  name: string | null;
}

export interface UpstreamClients {
  catalog: EntityClient<CatalogItem>;
  avatars: EntityClient<Avatar>;
  users: EntityClient<UserContact>;
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
    users: new EntityClient<UserContact>(
      'users',
      config.usersSubgraphUrl,
      'User',
      'id email name',
      config.upstreamTimeoutMs,
      config.upstreamCacheTtlMs,
    ),
  };
}
