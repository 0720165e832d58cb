import type { Redis } from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from './auth/viewer';
import type { Config } from './config';
import { createLoaders, type Loaders } from './repositories/loaders';
import type { UpstreamClients } from './upstream/subgraphs';
import { DesignError, ErrorCode } from './errors/design-error';
import type { EventBus } from './events/event-bus';
import type { FileStorage } from './files/file-storage';
import type { JobQueue } from './jobs/job-names';
import { logger } from './logger';
import type { SnapshotStore } from './storage/snapshot-store';

/** What every service call receives first: who calls, where to read and write, and the request's loaders. */
export interface ServiceContext {
  viewer: Viewer;
  config: Config;
  db: DataSource;
  /** The transaction's manager inside `inTransaction`, otherwise the pool's. */
  manager: EntityManager;
  loaders: Loaders;
  upstream: ReturnType<typeof upstreamLoaders>;
  events: EventBus;
  store: SnapshotStore;
  jobs: JobQueue;
  /** For the design state cache. */
  redis: Redis;
  files: FileStorage;
  /** Side effects to run once the transaction has committed; never run on rollback. */
  afterCommit(effect: () => void | Promise<void>): void;
}

export interface AppServices {
  config: Config;
  db: DataSource;
  upstream: UpstreamClients;
  events: EventBus;
  store: SnapshotStore;
  jobs: JobQueue;
  redis: Redis;
  files: FileStorage;
}

function upstreamLoaders(upstream: UpstreamClients) {
  return { catalog: upstream.catalog.loader(), avatars: upstream.avatars.loader() };
}

export function createServiceContext(app: AppServices, viewer: Viewer): ServiceContext {
  // Loaders are made on first use: an idle subscription holds a context but never reads through it.
  let loaders: Loaders | undefined;
  let upstream: ServiceContext['upstream'] | undefined;
  return {
    viewer,
    config: app.config,
    db: app.db,
    manager: app.db.manager,
    get loaders() {
      return (loaders ??= createLoaders(app.db.manager, viewer, app.store));
    },
    get upstream() {
      return (upstream ??= upstreamLoaders(app.upstream));
    },
    events: app.events,
    store: app.store,
    jobs: app.jobs,
    redis: app.redis,
    files: app.files,
    afterCommit() {
      throw new Error('afterCommit outside a transaction');
    },
  };
}

/**
 * The one way to write: runs `work` in a transaction, then starts the side effects it queued. The request's
 * loaders are cleared afterwards so that what the caller reads back is the committed state.
 */
export async function inTransaction<T>(ctx: ServiceContext, work: (tx: ServiceContext) => Promise<T>): Promise<T> {
  const effects: (() => void | Promise<void>)[] = [];
  const result = await ctx.db.transaction((manager) =>
    work({ ...ctx, manager, store: ctx.store.within(manager), afterCommit: (effect) => void effects.push(effect) }),
  );
  ctx.loaders.clearAll();
  // Side effects go to Redis (events, jobs). The write is committed: the caller does not wait for them,
  // and a failure is logged, never reported as a failed write. Started in order, so one process
  // publishes its events in commit order.
  for (const effect of effects) {
    void Promise.resolve()
      .then(effect)
      .catch((error) => logger.warn({ err: error }, 'side effect after commit failed'));
  }
  return result;
}

export function requireViewer(ctx: ServiceContext): NonNullable<Viewer> {
  if (!ctx.viewer) throw new DesignError(ErrorCode.Unauthenticated, 'Sign in to do this');
  return ctx.viewer;
}
