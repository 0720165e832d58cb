import type { Redis } from 'ioredis';
import { within } from '../async/within';
import type { PresenceEntryJson } from '../domain/presence';
import { DesignError, ErrorCode } from '../errors/design-error';
import { outageIn } from '../errors/outage';

/**
 * Presence in Redis, shared by every replica [PR5]. Per design, a hash of session id to entry; across
 * designs, one sorted set of `designId/sessionId` by expiry time, which the sweep reads and claims
 * from. Every write renews both keys' TTL (twice the presence TTL), so that nothing outlives a stack
 * that stopped for long. Each operation is one Lua script: atomic, whichever replica runs it.
 */
const entriesKey = (designId: string) => `presence:${designId}`;
const EXPIRY_KEY = 'presence:expiry';
const member = (designId: string, sessionId: string) => `${designId}/${sessionId}`;

/** Longer than ioredis' own give-up (two reconnection attempts): a Redis that does not answer is away. */
const REDIS_TIMEOUT_MS = 2000;

// Puts `next` in place of the entry read before (ARGV[2], '' for none); a new session first counts the
// design's sessions, then the user's. The reply's last element is everyone in the design afterwards.
const PUT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return {'changed'} end
if not current then
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[9]) then return {'full'} end
  local count = 0
  for _, value in ipairs(redis.call('HVALS', KEYS[1])) do
    if cjson.decode(value).userId == ARGV[4] then count = count + 1 end
  end
  if count >= tonumber(ARGV[5]) then return {'limit'} end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
return {current and 'updated' or 'joined', redis.call('HVALS', KEYS[1])}`;

// Removes the caller's own session; someone else's stays.
const REMOVE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return {'none'} end
if cjson.decode(current).userId ~= ARGV[2] then return {'taken'} end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[3])
return {'left', current, redis.call('HVALS', KEYS[1])}`;

// The ZREM only one caller can win: the session leaves once, whichever replicas sweep [PR4].
const CLAIM = `
local score = redis.call('ZSCORE', KEYS[2], ARGV[2])
if not score or tonumber(score) > tonumber(ARGV[3]) then return false end
redis.call('ZREM', KEYS[2], ARGV[2])
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
return {current, redis.call('HVALS', KEYS[1])}`;

async function run<T>(work: Promise<T>): Promise<T> {
  try {
    return await within(work, REDIS_TIMEOUT_MS, `Redis did not answer within ${REDIS_TIMEOUT_MS} ms`);
  } catch (error) {
    if (outageIn(error))
      throw new DesignError(ErrorCode.ServiceUnavailable, 'Presence is unavailable for a moment (Redis is away); try again');
    throw error;
  }
}

const parse = (values: string[]): PresenceEntryJson[] => values.map((value) => JSON.parse(value) as PresenceEntryJson);

/** The session's entry, and its text as stored (what putPresence compares with). */
export async function findPresence(
  redis: Redis,
  designId: string,
  sessionId: string,
): Promise<{ entry: PresenceEntryJson; stored: string } | null> {
  const stored = await run(redis.hget(entriesKey(designId), sessionId));
  return stored === null ? null : { entry: JSON.parse(stored) as PresenceEntryJson, stored };
}

export async function listPresence(redis: Redis, designId: string): Promise<PresenceEntryJson[]> {
  return parse(await run(redis.hvals(entriesKey(designId))));
}

export type PutResult =
  | { status: 'joined' | 'updated'; present: PresenceEntryJson[] }
  /** The session changed since `previous` was read. */
  | { status: 'changed' }
  /** A new session over the user's limit in the design. */
  | { status: 'limit' }
  /** A new session over the design's limit. */
  | { status: 'full' };

/** Writes `next` over `previous` (as read, null when new), unless the session changed since or a new one is over a limit. */
export async function putPresence(
  redis: Redis,
  props: {
    designId: string;
    previous: string | null;
    next: PresenceEntryJson;
    maxPerUser: number;
    maxPerDesign: number;
    expiresAt: number;
    keyTtlMs: number;
  },
): Promise<PutResult> {
  const { designId, next } = props;
  const reply = (await run(
    redis.eval(
      PUT,
      2,
      entriesKey(designId),
      EXPIRY_KEY,
      next.sessionId,
      props.previous ?? '',
      JSON.stringify(next),
      next.userId,
      props.maxPerUser,
      props.expiresAt,
      member(designId, next.sessionId),
      props.keyTtlMs,
      props.maxPerDesign,
    ),
  )) as [string, string[]?];
  const [status, present] = reply;
  if (status === 'joined' || status === 'updated') return { status, present: parse(present ?? []) };
  return status === 'limit' || status === 'full' ? { status } : { status: 'changed' };
}

export type RemoveResult =
  | { status: 'left'; entry: PresenceEntryJson; present: PresenceEntryJson[] }
  | { status: 'none' }
  /** The session is someone else's. */
  | { status: 'taken' };

/** Removes the session if it is `userId`'s. */
export async function removePresence(redis: Redis, designId: string, sessionId: string, userId: string): Promise<RemoveResult> {
  const reply = (await run(redis.eval(REMOVE, 2, entriesKey(designId), EXPIRY_KEY, sessionId, userId, member(designId, sessionId)))) as [
    string,
    string?,
    string[]?,
  ];
  const [status, entry, present] = reply;
  if (status === 'left') return { status, entry: JSON.parse(entry!) as PresenceEntryJson, present: parse(present ?? []) };
  return status === 'taken' ? { status } : { status: 'none' };
}

/** Up to `count` sessions whose time ran out by `now`, as `[designId, sessionId]`. */
export async function findExpired(redis: Redis, now: number, count: number): Promise<[string, string][]> {
  const members = await run(redis.zrangebyscore(EXPIRY_KEY, '-inf', now, 'LIMIT', 0, count));
  return members.map((m) => m.split('/', 2) as [string, string]);
}

/** Takes the expired session out; null when another replica did first, or it was updated since. */
export async function claimExpired(
  redis: Redis,
  designId: string,
  sessionId: string,
  now: number,
): Promise<{ entry: PresenceEntryJson; present: PresenceEntryJson[] } | null> {
  const reply = (await run(redis.eval(CLAIM, 2, entriesKey(designId), EXPIRY_KEY, sessionId, member(designId, sessionId), now))) as
    [string, string[]] | null;
  if (!reply) return null;
  return { entry: JSON.parse(reply[0]) as PresenceEntryJson, present: parse(reply[1]) };
}
