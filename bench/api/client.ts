import { randomUUID } from 'node:crypto';
import { signDevelopmentToken } from '../../src/auth/tokens';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import type { Tier } from '../../src/domain/tier';

export interface BenchUser {
  id: string;
  token: string;
}

export async function makeUser(tier: Tier): Promise<BenchUser> {
  const id = randomUUID();
  return { id, token: await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, id, tier) };
}

export const jsonHeaders = (user: BenchUser | null): Record<string, string> => ({
  'content-type': 'application/json',
  ...(user ? { authorization: `Bearer ${user.token}` } : {}),
});

export interface GraphQLBody<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** One operation; throws with the errors when there are any. Returns the data and the raw body (for sizes). */
export async function call<T>(url: string, user: BenchUser | null, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, { method: 'POST', headers: jsonHeaders(user), body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  const body = JSON.parse(text) as GraphQLBody<T>;
  if (body.errors?.length || !body.data) throw new Error(`${query.slice(0, 60)}…: ${response.status} ${text.slice(0, 500)}`);
  return { data: body.data, text };
}

/** The first error code of a GraphQL response body, `HTTP <status>` for a body that is not GraphQL, or null for success. */
export function errorCode(status: number, body: string): string | null {
  if (status === 200 && !body.includes('"errors"')) return null;
  try {
    const parsed = JSON.parse(body) as GraphQLBody<unknown>;
    if (!parsed.errors?.length) return status === 200 ? null : `HTTP ${status}`;
    return parsed.errors[0]!.extensions?.code ?? 'UNKNOWN';
  } catch {
    return `HTTP ${status}`;
  }
}
