import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { signDevelopmentToken } from '../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET, type Tier } from '../src/config';

export const DESIGN_URL = process.env.TEST_DESIGN_URL!;
export const GATEWAY_URL = process.env.TEST_GATEWAY_URL!;
export const ROOT_URL = DESIGN_URL.replace(/\/graphql$/, '');

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestUser { id: string; tier: Tier; token: string }

export async function makeUser(tier: Tier = 'pro'): Promise<TestUser> {
  const id = randomUUID();
  return { id, tier, token: await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, id, tier) };
}

export async function gql<T = any>(
  user: TestUser | null | string,
  query: string,
  variables: Record<string, unknown> = {},
  url = DESIGN_URL,
): Promise<GraphQLResponse<T>> {
  const token = typeof user === 'string' ? user : user?.token;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** The data of a call that must succeed; throws with the errors otherwise. */
export async function ok<T = any>(user: TestUser | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await gql<T>(user, query, variables);
  if (result.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data!;
}

/** The error code of a call that must fail. */
export async function errorCode(user: TestUser | null, query: string, variables: Record<string, unknown> = {}): Promise<string | undefined> {
  const result = await gql(user, query, variables);
  return result.errors?.[0]?.extensions?.code;
}

export const AVATAR_FEMALE = 'avatar-female-standard';
export const AVATAR_MALE = 'avatar-male-standard';
export const ITEM = {
  tshirt: 'item-silhouette-t-shirt',
  trousers: 'item-silhouette-trousers',
  skirt: 'item-silhouette-a-line-skirt',
  puffer: 'item-silhouette-puffer',
  denim: 'item-fabric-denim',
  cap: 'item-accessory-cap',
  belt: 'item-element-belt',
};

export async function makeDesign(owner: TestUser, input: Record<string, unknown> = {}) {
  const data = await ok(owner, `mutation($input: CreateDesignInput!) { createDesign(input: $input) { id revision } }`, {
    input: { name: `Design ${randomUUID().slice(0, 8)}`, ...input },
  });
  return data.createDesign as { id: string; revision: number };
}

export async function addLayer(user: TestUser, designId: string, input: Record<string, unknown> = {}) {
  const data = await ok(user, `mutation($designId: ID!, $input: AddLayerInput!) { addLayer(designId: $designId, input: $input) { id order } }`, {
    designId,
    input: { catalogItemId: ITEM.tshirt, ...input },
  });
  return data.addLayer as { id: string; order: number };
}

export async function share(owner: TestUser, designId: string, user: TestUser, role: string) {
  await ok(owner, `mutation($d: ID!, $u: ID!, $r: CollaboratorRole!) { addCollaborator(designId: $d, userId: $u, role: $r) { role } }`, {
    d: designId, u: user.id, r: role,
  });
}

export async function withDb<T>(work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

export async function sqlStatementsSoFar(): Promise<number> {
  const text = await (await fetch(`${ROOT_URL}/metrics`)).text();
  return Number(/^design_sql_statements_total (\d+)$/m.exec(text)![1]);
}
