import { resolve } from 'node:path';
import type { Tier } from './domain/tier';
import type { FetchPolicy } from './net/safe-fetch';

/**
 * The one configuration module. Every setting comes from the environment, is validated once at
 * start-up, and fails with a message that names the variable.
 */

export const DEVELOPMENT_JWT_SECRET = 'design-subgraph-development-secret';
/** What the development stack's gateway sends in x-gateway-secret, so that it runs as production does. */
export const DEVELOPMENT_GATEWAY_SECRET = 'design-gateway-development-secret';

export interface TierLimits {
  /** Designs not deleted; null: no limit. */
  designs: number | null;
  layersPerDesign: number;
  /** Exports one user may have QUEUED or PROCESSING at once. */
  activeExports: number;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  /** METRICS_PORT: /metrics on a port of its own instead of the public one; null: on the public one. */
  metricsPort: number | null;
  /** WORKER_METRICS_PORT (9464): where each worker process serves its /metrics; 0 picks a free port. */
  workerMetricsPort: number;
  databaseUrl: string;
  /**
   * MIGRATE_ON_START: migrations (and the change log's partitions) at start, as development and tests
   * want; in production (default false) `npm run migrate` is a step of its own and start refuses a
   * database with migrations pending.
   */
  migrateOnStart: boolean;
  databasePoolSize: number;
  /** How long a request waits for a new PostgreSQL connection before it fails (SERVICE_UNAVAILABLE). */
  databaseConnectTimeoutMs: number;
  redisUrl: string;
  redisPrefix: string;
  /** Set: snapshots and autosaves live in MongoDB instead of PostgreSQL. */
  mongodbUrl: string | null;
  autosaveDelayMs: number;
  autosaveRetentionMs: number;
  /** How often the workers remove expired autosaves, export files and states, and render files. */
  cleanupIntervalMs: number;
  /**
   * How often each worker process re-creates missing job schedulers and compares the renders and
   * exports PostgreSQL has in flight with the jobs Redis holds (services/recovery).
   */
  reconcileIntervalMs: number;
  workerConcurrency: number;
  /** A job whose worker stops renewing its lock for this long is stalled, and handed to another worker. */
  workerLockMs: number;
  /** EXPORT_ATTEMPT_TIMEOUT_MS (10 minutes, the specification's): an attempt taking longer fails, to be tried again or end FAILED. */
  exportAttemptTimeoutMs: number;
  files: { dir: string; publicUrl: string; urlSecret: string; urlTtlSeconds: number; s3: S3Config | null };
  renderCacheTtlMs: number;
  renderer: RendererConfig;
  /** FFMPEG_PATH and FFPROBE_PATH; null: the static builds inside the npm packages @ffmpeg-installer and @ffprobe-installer. */
  ffmpeg: { ffmpegPath: string | null; ffprobePath: string | null };
  /** Origins whose images server renders may fetch for IMAGE backgrounds; others draw as a plain colour. */
  renderImageOrigins: string[];
  /** Current design states cached in Redis for this long. */
  stateCacheTtlSeconds: number;
  /**
   * maxAgeSeconds (JWT_MAX_AGE_SECONDS): null, every token must carry `exp`; set, every token must
   * carry `iat` and is refused that long after it (and at its `exp`, when it has one).
   */
  jwt: { secret: string | null; jwksUrl: string | null; maxAgeSeconds: number | null };
  /** APP_URL: where people open the app (the studio): share links and e-mails point there. */
  appUrl: string;
  mail: MailConfig;
  avatarSubgraphUrl: string;
  catalogSubgraphUrl: string;
  /** Where users' e-mail addresses and names are read (`_entities` of `User`). */
  usersSubgraphUrl: string;
  upstreamTimeoutMs: number;
  upstreamCacheTtlMs: number;
  /**
   * ANSWER_CACHE_MB: memory for answers made only of revision-determined fields, served again while the
   * designs' revisions are unchanged (src/http/answer-cache.ts); 0 turns it off.
   */
  answerCacheBytes: number;
  limits: Record<Tier, TierLimits>;
  /** LIMIT_COMMENTS_PER_DESIGN: comments and replies one design holds, whatever its owner's tier. */
  commentsPerDesign: number;
  queryLimits: QueryLimits;
  websocket: WebSocketLimits;
  presence: PresenceLimits;
  rateLimits: RateLimits;
  /** Whether the schema may be introspected and unknown names answered with suggestions ("Did you mean …"). */
  introspection: boolean;
  /**
   * GATEWAY_SECRET: the federation fields (`_service`, `_entities`) answer only requests carrying it in
   * `x-gateway-secret`; null (development and tests only): anyone may call them.
   */
  gatewaySecret: string | null;
  logLevel: string;
  /** How long SIGTERM waits for requests, subscriptions and jobs to finish before the process exits anyway (code 1). */
  shutdownTimeoutMs: number;
  /**
   * How long the subgraph and the gateway go on serving after SIGTERM with their readiness at 503, so
   * that load balancers take them out before they stop accepting connections; part of shutdownTimeoutMs.
   */
  shutdownDrainDelayMs: number;
}

/** E-mail notifications (src/services/notifications): sent by the workers over SMTP. */
export interface MailConfig {
  /** SMTP_URL (nodemailer's smtp:// or smtps:// URL); null: e-mail is off, nothing is queued. */
  smtpUrl: string | null;
  /** MAIL_FROM: the From header of every message. */
  from: string;
}

/** Set (S3_BUCKET): files live in S3 or an S3-compatible store instead of the local directory. */
export interface S3Config {
  bucket: string;
  region: string;
  /** MinIO, R2 and the like; null: AWS. */
  endpoint: string | null;
  forcePathStyle: boolean;
  /** Prepended to every object key. */
  prefix: string;
}

export type RendererName = 'chromium' | 'gl';

export interface RendererConfig {
  /** The one asked for: gl where it can run (fast), chromium as the fallback every machine can run. */
  preferred: RendererName;
  /** CHROMIUM_PATH; null: a system chromium, else the one inside the npm package @sparticuz/chromium. */
  chromiumPath: string | null;
  /** What scenes may fetch (models, textures, backgrounds), for the renderers and the model exports alike. */
  assets: FetchPolicy;
}

/** The shape limits of every operation, however it arrives (see src/graphql/operation-limits.ts). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** How many layers a design's lists are counted as holding in the cost: the largest tier's layer limit. */
  layerBound: number;
  /** How many items any other unpaged list of objects is counted as holding in the cost. */
  listBound: number;
}

/** What one graphql-ws client may hold open on one replica. */
export interface WebSocketLimits {
  subscriptionsPerConnection: number;
  connectionsPerUser: number;
  /** Anonymous connections are counted by address; behind one gateway they share its address. */
  anonymousConnectionsPerAddress: number;
  /** A socket that sends no connection_init within this is closed (4408). */
  connectionInitTimeoutMs: number;
}

/** Who is in a design (src/services/presence, docs/collaboration.md "Presence"). */
export interface PresenceLimits {
  /** PRESENCE_TTL_MS (30 s): an entry not updated for this long leaves (LEFT). */
  ttlMs: number;
  /** PRESENCE_MAX_SESSIONS_PER_USER (10): sessions one user may have in one design at once; the next is LIMIT_EXCEEDED. */
  maxSessionsPerUser: number;
  /**
   * PRESENCE_MAX_SESSIONS_PER_DESIGN (200): sessions in one design at once, whoever holds them. Every
   * presence event carries the whole list to every watcher: this bounds what one event costs.
   */
  maxSessionsPerDesign: number;
}

/**
 * Budgets per caller, shared by the replicas through Redis: reads and mutations per 10 s (reads of
 * anonymous callers per address), renders and exports started per minute by tier.
 */
export interface RateLimits {
  enabled: boolean;
  reads: number;
  anonymousReads: number;
  mutations: number;
  renders: Record<Tier, number>;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** A limit where "unlimited" (or "none") means no limit. */
function limit(env: Env, name: string, fallback: number | null): number | null {
  const raw = env[name];
  if (raw === 'unlimited' || raw === 'none') return null;
  if (raw === undefined || raw === '') return fallback;
  return int(env, name, 0, 0, 1_000_000);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  return oneOf(env, name, fallback ? 'true' : 'false', ['true', 'false']) === 'true';
}

function s3(env: Env): S3Config | null {
  if (!env.S3_BUCKET) return null;
  const endpoint = env.S3_ENDPOINT ? url(env, 'S3_ENDPOINT', '', ['http:', 'https:']) : null;
  return {
    bucket: env.S3_BUCKET,
    region: str(env, 'S3_REGION', str(env, 'AWS_REGION', 'us-east-1')),
    endpoint,
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', endpoint !== null),
    prefix: str(env, 'S3_PREFIX', ''),
  };
}

function origins(env: Env, name: string, fallback = ''): string[] {
  return str(env, name, fallback)
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      try {
        const parsed = new URL(o);
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
        return parsed.origin;
      } catch {
        throw new ConfigError(`${name} must be a comma-separated list of http(s) origins, got "${o}"`);
      }
    });
}

/**
 * ASSET_ORIGINS, by default the avatar and catalog subgraphs' origins (where the dev stack serves its
 * models and textures), plus RENDER_IMAGE_ORIGINS: an IMAGE background that may be drawn may be fetched.
 * Those two subgraphs run on the private network, so their origins are the default ASSET_PRIVATE_ORIGINS.
 */
function assetPolicy(env: Env, subgraphUrls: string[]): FetchPolicy {
  const subgraphOrigins = subgraphUrls.map((u) => new URL(u).origin).join(',');
  return {
    origins: [...new Set([...origins(env, 'ASSET_ORIGINS', subgraphOrigins), ...origins(env, 'RENDER_IMAGE_ORIGINS')])],
    privateOrigins: [...new Set(origins(env, 'ASSET_PRIVATE_ORIGINS', subgraphOrigins))],
    timeoutMs: int(env, 'ASSET_TIMEOUT_MS', 15_000, 100, 300_000),
    maxBytes: int(env, 'ASSET_MAX_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  };
}

/** `Name <address>` or a bare address: what a From header needs, and nothing that could add a header. */
const MAIL_FROM_FORMAT = /^(?:[^<>\r\n@]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/;

/**
 * Without SMTP_URL e-mail is off. With it, production needs a From address and the studio's
 * address of its own: the development defaults would put localhost links in real people's mail.
 */
function mail(env: Env, nodeEnv: Config['env']): MailConfig {
  const smtpUrl = env.SMTP_URL ? url(env, 'SMTP_URL', '', ['smtp:', 'smtps:']) : null;
  if (smtpUrl && nodeEnv === 'production') {
    for (const name of ['MAIL_FROM', 'APP_URL']) {
      if (!env[name]) throw new ConfigError(`${name} must be set when NODE_ENV=production and SMTP_URL is set`);
    }
  }
  const from = str(env, 'MAIL_FROM', 'Design studio <no-reply@design.localhost>');
  if (!MAIL_FROM_FORMAT.test(from)) throw new ConfigError(`MAIL_FROM must be an address or "Name <address>", got "${from}"`);
  return { smtpUrl, from };
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const value = str(env, name, fallback);
  if (!allowed.includes(value as T)) throw new ConfigError(`${name} must be ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const value = str(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${value}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return value;
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', 'development', ['development', 'test', 'production']);
  const jwksUrl = env.JWKS_URL ? url(env, 'JWKS_URL', '', ['http:', 'https:']) : null;
  let secret = env.JWT_SECRET || null;
  if (!secret && !jwksUrl) {
    if (nodeEnv === 'production') {
      throw new ConfigError('JWT_SECRET or JWKS_URL must be set when NODE_ENV=production');
    }
    secret = DEVELOPMENT_JWT_SECRET;
  }
  if (secret && nodeEnv === 'production' && secret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters when NODE_ENV=production');
  }

  const port = int(env, 'PORT', 4001, 0, 65535);
  const avatarSubgraphUrl = url(env, 'AVATAR_SUBGRAPH_URL', 'http://127.0.0.1:4002/graphql', ['http:', 'https:']);
  const catalogSubgraphUrl = url(env, 'CATALOG_SUBGRAPH_URL', 'http://127.0.0.1:4003/graphql', ['http:', 'https:']);
  const s3Files = s3(env);
  // S3 presigns its own links; the local directory's links are signed with this secret.
  const fileUrlSecret = env.FILE_URL_SECRET || (nodeEnv === 'production' && !s3Files ? null : `${DEVELOPMENT_JWT_SECRET}-files`);
  if (!fileUrlSecret)
    throw new ConfigError('FILE_URL_SECRET must be set when NODE_ENV=production and files are local (it signs download URLs)');
  const gatewaySecret = env.GATEWAY_SECRET || null;
  if (!gatewaySecret && nodeEnv === 'production') {
    throw new ConfigError(
      'GATEWAY_SECRET must be set when NODE_ENV=production (the gateway sends it in x-gateway-secret for _service and _entities)',
    );
  }
  const limits = tierLimits(env);
  const shutdownTimeoutMs = int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000);
  const shutdownDrainDelayMs = int(env, 'SHUTDOWN_DRAIN_DELAY_MS', 0, 0, 600_000);
  if (shutdownDrainDelayMs >= shutdownTimeoutMs) {
    throw new ConfigError(
      `SHUTDOWN_DRAIN_DELAY_MS (${shutdownDrainDelayMs}) must be shorter than SHUTDOWN_TIMEOUT_MS (${shutdownTimeoutMs}), which it is part of`,
    );
  }

  return {
    env: nodeEnv,
    port,
    migrateOnStart: bool(env, 'MIGRATE_ON_START', nodeEnv !== 'production'),
    metricsPort: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 0, 65535) : null,
    workerMetricsPort: int(env, 'WORKER_METRICS_PORT', 9464, 0, 65535),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/design', ['postgres:', 'postgresql:']),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
    databaseConnectTimeoutMs: int(env, 'DATABASE_CONNECT_TIMEOUT_MS', 3000, 100, 60_000),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisPrefix: str(env, 'REDIS_PREFIX', 'design:'),
    mongodbUrl: env.MONGODB_URL ? url(env, 'MONGODB_URL', '', ['mongodb:', 'mongodb+srv:']) : null,
    autosaveDelayMs: int(env, 'AUTOSAVE_DELAY_MS', 30_000, 10, 3_600_000),
    autosaveRetentionMs: int(env, 'AUTOSAVE_RETENTION_MS', 7 * 24 * 3600 * 1000, 1000, 365 * 24 * 3600 * 1000),
    cleanupIntervalMs: int(env, 'CLEANUP_INTERVAL_MS', 3600 * 1000, 500, 24 * 3600 * 1000),
    reconcileIntervalMs: int(env, 'RECONCILE_INTERVAL_MS', 30_000, 500, 24 * 3600 * 1000),
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', 4, 1, 64),
    workerLockMs: int(env, 'WORKER_LOCK_MS', 30_000, 1000, 600_000),
    exportAttemptTimeoutMs: int(env, 'EXPORT_ATTEMPT_TIMEOUT_MS', 10 * 60 * 1000, 1, 24 * 3600 * 1000),
    files: {
      dir: resolve(str(env, 'FILES_DIR', '.data/files')),
      publicUrl: url(env, 'PUBLIC_URL', `http://127.0.0.1:${port}`, ['http:', 'https:']).replace(/\/$/, ''),
      urlSecret: fileUrlSecret,
      urlTtlSeconds: int(env, 'FILE_URL_TTL_SECONDS', 3600, 10, 7 * 24 * 3600),
      s3: s3Files,
    },
    renderCacheTtlMs: int(env, 'RENDER_CACHE_TTL_MS', 30 * 24 * 3600 * 1000, 1000, 365 * 24 * 3600 * 1000),
    renderImageOrigins: origins(env, 'RENDER_IMAGE_ORIGINS'),
    renderer: {
      preferred: oneOf(env, 'RENDERER', 'gl', ['gl', 'chromium']),
      chromiumPath: env.CHROMIUM_PATH || null,
      assets: assetPolicy(env, [avatarSubgraphUrl, catalogSubgraphUrl]),
    },
    ffmpeg: { ffmpegPath: env.FFMPEG_PATH || null, ffprobePath: env.FFPROBE_PATH || null },
    stateCacheTtlSeconds: int(env, 'STATE_CACHE_TTL_SECONDS', 30 * 60, 1, 24 * 3600),
    jwt: { secret, jwksUrl, maxAgeSeconds: env.JWT_MAX_AGE_SECONDS ? int(env, 'JWT_MAX_AGE_SECONDS', 0, 60, 366 * 24 * 3600) : null },
    appUrl: url(env, 'APP_URL', 'http://127.0.0.1:4005', ['http:', 'https:']).replace(/\/+$/, ''),
    mail: mail(env, nodeEnv),
    avatarSubgraphUrl,
    catalogSubgraphUrl,
    usersSubgraphUrl: url(env, 'USERS_SUBGRAPH_URL', 'http://127.0.0.1:4004/graphql', ['http:', 'https:']),
    upstreamTimeoutMs: int(env, 'UPSTREAM_TIMEOUT_MS', 3000, 50, 60_000),
    upstreamCacheTtlMs: int(env, 'UPSTREAM_CACHE_TTL_MS', 30_000, 0, 3_600_000),
    answerCacheBytes: int(env, 'ANSWER_CACHE_MB', 64, 0, 16_384) * 1024 * 1024,
    limits,
    commentsPerDesign: int(env, 'LIMIT_COMMENTS_PER_DESIGN', 10_000, 1, 1_000_000),
    queryLimits: {
      maxDepth: int(env, 'QUERY_MAX_DEPTH', 12, 2, 100),
      maxAliases: int(env, 'QUERY_MAX_ALIASES', 30, 0, 10_000),
      maxDirectives: int(env, 'QUERY_MAX_DIRECTIVES', 20, 0, 10_000),
      maxTokens: int(env, 'QUERY_MAX_TOKENS', 3000, 100, 1_000_000),
      maxCost: int(env, 'QUERY_MAX_COST', 500_000, 10, 100_000_000),
      layerBound: Math.max(...Object.values(limits).map((l) => l.layersPerDesign)),
      listBound: 100,
    },
    websocket: {
      subscriptionsPerConnection: int(env, 'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION', 50, 1, 100_000),
      connectionsPerUser: int(env, 'WS_MAX_CONNECTIONS_PER_USER', 50, 1, 1_000_000),
      anonymousConnectionsPerAddress: int(env, 'WS_MAX_ANONYMOUS_CONNECTIONS_PER_ADDRESS', 500, 1, 1_000_000),
      connectionInitTimeoutMs: int(env, 'WS_CONNECTION_INIT_TIMEOUT_MS', 3000, 100, 60_000),
    },
    presence: {
      ttlMs: int(env, 'PRESENCE_TTL_MS', 30_000, 500, 600_000),
      maxSessionsPerUser: int(env, 'PRESENCE_MAX_SESSIONS_PER_USER', 10, 1, 100),
      maxSessionsPerDesign: int(env, 'PRESENCE_MAX_SESSIONS_PER_DESIGN', 200, 1, 10_000),
    },
    rateLimits: {
      enabled: bool(env, 'RATE_LIMITS', true),
      reads: int(env, 'RATE_LIMIT_READS', 1000, 1, 10_000_000),
      anonymousReads: int(env, 'RATE_LIMIT_ANONYMOUS_READS', 500, 1, 10_000_000),
      mutations: int(env, 'RATE_LIMIT_MUTATIONS', 300, 1, 10_000_000),
      renders: {
        free: int(env, 'RATE_LIMIT_RENDERS_FREE', 10, 1, 1_000_000),
        pro: int(env, 'RATE_LIMIT_RENDERS_PRO', 60, 1, 1_000_000),
        enterprise: int(env, 'RATE_LIMIT_RENDERS_ENTERPRISE', 300, 1, 1_000_000),
      },
    },
    introspection: bool(env, 'GRAPHQL_INTROSPECTION', nodeEnv !== 'production'),
    gatewaySecret,
    logLevel: str(env, 'LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info'),
    shutdownTimeoutMs,
    shutdownDrainDelayMs,
  };
}

function tierLimits(env: Env): Record<Tier, TierLimits> {
  return {
    free: {
      designs: limit(env, 'LIMIT_FREE_DESIGNS', 10),
      layersPerDesign: int(env, 'LIMIT_FREE_LAYERS', 30, 1, 10_000),
      activeExports: int(env, 'LIMIT_FREE_ACTIVE_EXPORTS', 3, 1, 10_000),
    },
    pro: {
      designs: limit(env, 'LIMIT_PRO_DESIGNS', 200),
      layersPerDesign: int(env, 'LIMIT_PRO_LAYERS', 200, 1, 10_000),
      activeExports: int(env, 'LIMIT_PRO_ACTIVE_EXPORTS', 10, 1, 10_000),
    },
    enterprise: {
      designs: limit(env, 'LIMIT_ENTERPRISE_DESIGNS', null),
      layersPerDesign: int(env, 'LIMIT_ENTERPRISE_LAYERS', 500, 1, 10_000),
      activeExports: int(env, 'LIMIT_ENTERPRISE_ACTIVE_EXPORTS', 50, 1, 10_000),
    },
  };
}
