import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from './auth/viewer';
import type { Config } from './config';
import { createLoaders, type Loaders } from './repositories/loaders';
import type { UpstreamClients } from './upstream/subgraphs';
import { DesignError, ErrorCode } from './errors/design-error';

/** What every service call receives first: who calls, where to read and write, and the request's loaders. */
export interface ServiceContext {
  viewer: Viewer;
  config: Config;
  db: DataSource;
  /** The transaction's manager inside `inTransaction`, otherwise the pool's. */
  manager: EntityManager;
  loaders: Loaders;
  upstream: ReturnType<typeof upstreamLoaders>;
  /** Side effects to run once the transaction has committed; never run on rollback. */
  afterCommit(effect: () => void | Promise<void>): void;
}

export interface AppServices {
  config: Config;
  db: DataSource;
  upstream: UpstreamClients;
}

function upstreamLoaders(upstream: UpstreamClients) {
  return { catalog: upstream.catalog.loader(), avatars: upstream.avatars.loader() };
}

export function createServiceContext(app: AppServices, viewer: Viewer): ServiceContext {
  return {
    viewer,
    config: app.config,
    db: app.db,
    manager: app.db.manager,
    loaders: createLoaders(app.db.manager, viewer),
    upstream: upstreamLoaders(app.upstream),
    afterCommit() {
      throw new Error('afterCommit outside a transaction');
    },
  };
}

/**
 * The one way to write: runs `work` in a transaction, then the side effects it queued. The request's
 * loaders are cleared afterwards so that what the caller reads back is the committed state.
 */
export async function inTransaction<T>(ctx: ServiceContext, work: (tx: ServiceContext) => Promise<T>): Promise<T> {
  const effects: (() => void | Promise<void>)[] = [];
  const result = await ctx.db.transaction((manager) =>
    work({ ...ctx, manager, afterCommit: (effect) => void effects.push(effect) }),
  );
  ctx.loaders.clearAll();
  for (const effect of effects) await effect();
  return result;
}

export function requireViewer(ctx: ServiceContext): NonNullable<Viewer> {
  if (!ctx.viewer) throw new DesignError(ErrorCode.Unauthenticated, 'Sign in to do this');
  return ctx.viewer;
}
