/**
 * The development stand-ins' data: avatars of several body types and a catalog that covers every
 * layer type, with unavailable and body-type-restricted items to exercise the design rules.
 */

export const DEMO_USER_ID = '00000000-0000-4000-8000-000000000001';
export const OTHER_USER_ID = '00000000-0000-4000-8000-000000000002';
export const THIRD_USER_ID = '00000000-0000-4000-8000-000000000003';

export interface SeedUser {
  id: string;
  name: string;
  email: string | null;
}

/** The users subgraph's demo users: the demo user and two more to work with in the dev stack. */
export const USERS: SeedUser[] = [
  { id: DEMO_USER_ID, name: 'Dana Demo', email: 'dana@example.test' },
  { id: OTHER_USER_ID, name: 'Omar Other', email: 'omar@example.test' },
  { id: THIRD_USER_ID, name: 'Mia Maker', email: 'mia@example.test' },
];

/**
 * Ids the development users subgraph treats specially, so that tests (which make random users) can
 * have users without an address, or unknown to it, without a registry of their own: an id starting
 * with NO_ADDRESS_ID_PREFIX is a user without an e-mail address, one starting with UNKNOWN_ID_PREFIX
 * no user at all. Any other id it does not know is a user named after its first 8 characters with
 * the address `<id>@example.test` (the tests read each user's mail back by that address).
 */
export const NO_ADDRESS_ID_PREFIX = '0000dead-';
export const UNKNOWN_ID_PREFIX = '00000404-';

export function seedUser(id: string): SeedUser | null {
  const known = USERS.find((u) => u.id === id);
  if (known) return known;
  if (id.startsWith(UNKNOWN_ID_PREFIX)) return null;
  if (id.startsWith(NO_ADDRESS_ID_PREFIX)) return { id, name: `User ${id.slice(0, 8)}`, email: null };
  return { id, name: `User ${id.slice(0, 8)}`, email: `${id}@example.test` };
}

export interface SeedAvatar {
  id: string;
  name: string;
  ownerId: string;
  isPublic: boolean;
  bodyType: string;
  height: number;
}

export const AVATARS: SeedAvatar[] = [
  { id: 'avatar-female-standard', name: 'Ava', ownerId: DEMO_USER_ID, isPublic: true, bodyType: 'female-standard', height: 1.68 },
  { id: 'avatar-male-standard', name: 'Max', ownerId: DEMO_USER_ID, isPublic: true, bodyType: 'male-standard', height: 1.8 },
  { id: 'avatar-female-petite', name: 'Pia', ownerId: DEMO_USER_ID, isPublic: true, bodyType: 'female-petite', height: 1.55 },
  { id: 'avatar-male-tall', name: 'Tom', ownerId: OTHER_USER_ID, isPublic: false, bodyType: 'male-tall', height: 1.95 },
];

export type CatalogType = 'SILHOUETTE' | 'FABRIC' | 'PATTERN' | 'ELEMENT' | 'ACCESSORY';

export interface SeedItem {
  id: string;
  name: string;
  type: CatalogType;
  available: boolean;
  defaultColor: string;
  compatibleBodyTypes: string[];
}

/** SILHOUETTE, ELEMENT and ACCESSORY items have a 3D model; FABRIC and PATTERN items a tileable texture. */
export const hasModel = (item: { type: CatalogType }) => item.type === 'SILHOUETTE' || item.type === 'ELEMENT' || item.type === 'ACCESSORY';

const item = (type: CatalogType, slug: string, name: string, defaultColor: string, extra: Partial<SeedItem> = {}): SeedItem => ({
  id: `item-${type.toLowerCase()}-${slug}`,
  name,
  type,
  available: true,
  defaultColor,
  compatibleBodyTypes: [],
  ...extra,
});

const FEMALE = ['female-standard', 'female-petite'];

export const CATALOG: SeedItem[] = [
  item('SILHOUETTE', 't-shirt', 'Crew-neck T-shirt', '#ffffff'),
  item('SILHOUETTE', 'shirt', 'Oxford shirt', '#dfe8f5'),
  item('SILHOUETTE', 'hoodie', 'Hoodie', '#7a7a7a'),
  item('SILHOUETTE', 'trousers', 'Straight trousers', '#2b2f3a'),
  item('SILHOUETTE', 'shorts', 'Chino shorts', '#c8b48a'),
  item('SILHOUETTE', 'a-line-skirt', 'A-line skirt', '#8b1e3f', { compatibleBodyTypes: FEMALE }),
  item('SILHOUETTE', 'slip-dress', 'Slip dress', '#d9a5b3', { compatibleBodyTypes: FEMALE }),
  item('SILHOUETTE', 'trench-coat', 'Trench coat', '#b89b6e'),
  item('SILHOUETTE', 'puffer', 'Puffer jacket', '#1f4e79', { available: false }),
  item('FABRIC', 'cotton-jersey', 'Cotton jersey', '#f4f1ea'),
  item('FABRIC', 'denim', 'Indigo denim', '#2e4a7d'),
  item('FABRIC', 'linen', 'Washed linen', '#e6dcc8'),
  item('FABRIC', 'wool-twill', 'Wool twill', '#5b4a3f'),
  item('FABRIC', 'silk-satin', 'Silk satin', '#efe3d3'),
  item('FABRIC', 'leather', 'Nappa leather', '#3b2a20', { available: false }),
  item('PATTERN', 'breton-stripe', 'Breton stripe', '#1d2a4d'),
  item('PATTERN', 'gingham', 'Gingham check', '#c0392b'),
  item('PATTERN', 'houndstooth', 'Houndstooth', '#222222'),
  item('PATTERN', 'floral', 'Ditsy floral', '#6a994e'),
  item('PATTERN', 'leopard', 'Leopard print', '#c98b2b', { available: false }),
  item('PATTERN', 'polka-dot', 'Polka dot', '#ffffff'),
  item('ELEMENT', 'patch-pocket', 'Patch pocket', '#2b2f3a'),
  item('ELEMENT', 'belt', 'Leather belt', '#3b2a20'),
  item('ELEMENT', 'collar', 'Peter Pan collar', '#ffffff', { compatibleBodyTypes: FEMALE }),
  item('ELEMENT', 'zip', 'Metal zip', '#b0b0b0'),
  item('ELEMENT', 'ruffle', 'Ruffle trim', '#f7d6e0', { available: false }),
  item('ELEMENT', 'hood-drawcord', 'Hood drawcord', '#eeeeee'),
  item('ACCESSORY', 'cap', 'Baseball cap', '#14213d'),
  item('ACCESSORY', 'sneakers', 'Low-top sneakers', '#fafafa'),
  item('ACCESSORY', 'tote', 'Canvas tote', '#e9e2d0'),
  item('ACCESSORY', 'sunglasses', 'Sunglasses', '#111111'),
  item('ACCESSORY', 'heels', 'Court heels', '#000000', { compatibleBodyTypes: FEMALE }),
  item('ACCESSORY', 'tie', 'Silk tie', '#7b1e1e', { compatibleBodyTypes: ['male-standard', 'male-tall'] }),
];
