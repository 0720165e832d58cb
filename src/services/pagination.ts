import { badInput } from '../errors/design-error';
import { isUuid } from '../repositories/uuid';

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

/** A check of one value of a cursor's position, and what the SQL that uses it may take for granted. */
type CursorPart<T> = (value: unknown) => value is T;

const INT_MAX = 2 ** 31 - 1;

/** `timestamptz::text` as PostgreSQL prints it (DateStyle ISO), e.g. `2026-01-15 10:20:30.123456+00`. */
const PG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(:[0-5]\d){0,2}$/;

function isTimestamp(value: unknown): value is string {
  const parts = typeof value === 'string' ? PG_TIMESTAMP.exec(value) : null;
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < 1000 || month < 1 || month > 12) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && Number(parts[8]) <= 15;
}

/**
 * What a position may hold: each value is cast by the SQL that pages (int, uuid, timestamptz, text),
 * so a value the cast would refuse must be refused here, or it becomes an internal error.
 */
export const cursorPart = {
  /** A JSON number that fits PostgreSQL's int. */
  int: (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= INT_MAX,
  /** An int as text (a sort key PostgreSQL printed). */
  intText: (value: unknown): value is string => typeof value === 'string' && /^\d{1,10}$/.test(value) && Number(value) <= INT_MAX,
  uuid: (value: unknown): value is string => typeof value === 'string' && isUuid(value),
  timestamp: isTimestamp,
  /** Any text PostgreSQL can hold. */
  text: (value: unknown): value is string => typeof value === 'string' && !value.includes('\u0000'),
};

type Position<Parts extends readonly CursorPart<unknown>[]> = { [I in keyof Parts]: Parts[I] extends CursorPart<infer T> ? T : never };

/** The position of a cursor of this list (`tag`), each value checked by its part; a bad cursor is BAD_USER_INPUT naming `after`. */
export function decodeCursor<const Parts extends readonly CursorPart<unknown>[]>(
  tag: string,
  cursor: string | null | undefined,
  parts: Parts,
): Position<Parts> | null {
  if (cursor === null || cursor === undefined) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (!Array.isArray(decoded) || decoded[0] !== tag || decoded.length !== parts.length + 1) {
    throw badInput('after', 'is not a cursor of this list');
  }
  const position = decoded.slice(1);
  if (!parts.every((part, i) => part(position[i]))) throw badInput('after', 'is not a cursor of this list');
  return position as Position<Parts>;
}

export function toPage<T>(items: { node: T; position: unknown[] }[], tag: string, hasNextPage: boolean, totalCount: number): Page<T> {
  const edges = items.map(({ node, position }) => ({ node, cursor: encodeCursor(tag, position) }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}
