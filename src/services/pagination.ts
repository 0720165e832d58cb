import { badInput } from '../errors/design-error';

export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export function pageSize(first: number | null | undefined, fallback: number): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw badInput('first', `must be from 1 to ${MAX_PAGE_SIZE}`);
  return size;
}

/** Cursors are opaque to clients: a tagged JSON position, base64url-encoded. */
export function encodeCursor(tag: string, position: unknown[]): string {
  return Buffer.from(JSON.stringify([tag, ...position])).toString('base64url');
}

export function decodeCursor(tag: string, cursor: string | null | undefined): unknown[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded[0] === tag) return decoded.slice(1);
  } catch {
    // falls through to the error below
  }
  throw badInput('after', 'is not a cursor of this list');
}

export function toPage<T>(items: { node: T; position: unknown[] }[], tag: string, hasNextPage: boolean, totalCount: number): Page<T> {
  const edges = items.map(({ node, position }) => ({ node, cursor: encodeCursor(tag, position) }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}
