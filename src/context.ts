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
import { Turns } from './async/turns';
import type { Mailer } from './mail/mailer';
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
  /**
   * Waits for this process's earlier writers of the design (first come, first served) and keeps the
   * turn until the transaction ends; before the design's row is locked. One turn per transaction.
   */
  takeTurn(designId: string): Promise<void>;
  /**
   * Lets the loaders go; the next read makes new ones. A subscription's context lives as long as the
   * subscription, its loaders only as long as one event.
   */
  releaseLoaders(): void;
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
  /** Null while e-mail is off (no SMTP_URL). Only the workers send. */
  mailer: Mailer | null;
}

function upstreamLoaders(upstream: UpstreamClients) {
  return { catalog: upstream.catalog.loader(), avatars: upstream.avatars.loader(), users: upstream.users.loader() };
}

/**
 * A class rather than an object literal with getters: such a literal ends up with a dictionary of
 * properties (~830 B) and three closures of its own, and every live subscription holds one context.
 */
class AppServiceContext implements ServiceContext {
  readonly config: Config;
  readonly db: DataSource;
  manager: EntityManager;
  readonly events: EventBus;
  store: SnapshotStore;
  readonly jobs: JobQueue;
  readonly redis: Redis;
  readonly files: FileStorage;
  // Own enumerable fields, so that a copy (inTransaction's, Apollo Server's per-request clone) shares what was made.
  madeLoaders: Loaders | undefined = undefined;
  madeUpstream: ServiceContext['upstream'] | undefined = undefined;

  constructor(
    private readonly app: AppServices,
    readonly viewer: Viewer,
  ) {
    this.config = app.config;
    this.db = app.db;
    this.manager = app.db.manager;
    this.events = app.events;
    this.store = app.store;
    this.jobs = app.jobs;
    this.redis = app.redis;
    this.files = app.files;
  }

  // Made on first use: an idle subscription holds a context but never reads through it.
  get loaders(): Loaders {
    return (this.madeLoaders ??= createLoaders(this.app.db.manager, this.viewer, this.app.store));
  }

  get upstream(): ServiceContext['upstream'] {
    return (this.madeUpstream ??= upstreamLoaders(this.app.upstream));
  }

  releaseLoaders(): void {
    this.madeLoaders = undefined;
    this.madeUpstream = undefined;
  }

  afterCommit(): void {
    throw new Error('afterCommit outside a transaction');
  }

  takeTurn(): Promise<void> {
    throw new Error('takeTurn outside a transaction');
  }
}

export function createServiceContext(app: AppServices, viewer: Viewer): ServiceContext {
  return new AppServiceContext(app, viewer);
}

/** Writers' turns per design in this process (takeTurn). */
const designTurns = new Turns();
/** Past this, a writer stops waiting for its turn and waits on the row lock like any other replica's writer. */
const TURN_WAIT_MS = 2000;

/**
 * The one way to write: runs `work` in a transaction, then starts the side effects it queued. The request's
 * loaders are cleared afterwards so that what the caller reads back is the committed state.
 */
export async function inTransaction<T>(ctx: ServiceContext, work: (tx: ServiceContext) => Promise<T>): Promise<T> {
  const effects: (() => void | Promise<void>)[] = [];
  const turns: (() => void)[] = [];
  // Made before the copy, so that the transaction's context and the caller's share one set.
  void ctx.loaders;
  let result: T;
  try {
    result = await ctx.db.transaction((manager) =>
      work(
        // A copy that keeps the prototype: the context's getters live there, and a spread would drop them.
        Object.assign(Object.create(Object.getPrototypeOf(ctx) as object) as ServiceContext, ctx, {
          manager,
          store: ctx.store.within(manager),
          afterCommit: (effect: () => void | Promise<void>) => void effects.push(effect),
          takeTurn: async (designId: string) => {
            // A second design waits on its row lock only: turns taken in two orders could wait on each other.
            if (turns.length > 0) return;
            const turn = designTurns.take(designId, TURN_WAIT_MS);
            // Noted before the wait, so that a transaction ending while it still waits lets it go too.
            turns.push(() => void turn.then((end) => end()));
            await turn;
          },
        }),
      ),
    );
  } finally {
    for (const end of turns) end();
  }
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
