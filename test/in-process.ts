import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import { connectServices } from '../src/bootstrap';
import { loadConfig } from '../src/config';
import type { DesignEntity } from '../entities/design.entity';
import type { LayerEntity } from '../entities/layer.entity';
import { createServiceContext, inTransaction, type AppServices, type ServiceContext } from '../src/context';
import type { Tier } from '../src/domain/tier';
import type { DesignEventMessage } from '../src/events/design-event';
import { createDesign, type CreateDesignProps } from '../src/services/designs/create-design';
import { addLayer, type AddLayerProps } from '../src/services/layers/add-layer';

/**
 * The services the subgraph runs on (the test run's PostgreSQL, Redis, snapshot store and queues),
 * in this process, for tests that call commands directly rather than through HTTP. A REDIS_PREFIX of
 * its own in `env` gives it queues no worker of the stack takes jobs from.
 */
export function inProcessApp(env: Record<string, string> = {}): { app(): AppServices } {
  let app: (AppServices & { close(): Promise<void> }) | null = null;
  before(async () => {
    app = await connectServices(loadConfig({ ...process.env, ...env }));
  });
  after(async () => {
    await app?.close();
  });
  return {
    app: () => {
      if (!app) throw new Error('the services are not connected yet');
      return app;
    },
  };
}

/** A signed-in caller of its own. */
export function asUser(app: AppServices, tier: Tier = 'pro'): ServiceContext {
  return createServiceContext(app, { userId: randomUUID(), tier });
}

/** Every event the bus delivers for one design from now on (Redis confirms the subscription first). */
export async function recordEvents(app: AppServices, designId: string): Promise<{ events: DesignEventMessage[]; stop(): Promise<void> }> {
  const events: DesignEventMessage[] = [];
  const receiver = { receive: (event: DesignEventMessage) => void events.push(event) };
  await app.events.listen(designId, receiver);
  return {
    events,
    async stop() {
      app.events.unlisten(designId, receiver);
    },
  };
}

/** A design of the caller's, committed, with whatever fields the test names. */
export function makeDesignIn(ctx: ServiceContext, props: Partial<CreateDesignProps> = {}): Promise<DesignEntity> {
  return inTransaction(ctx, (tx) => createDesign(tx, { name: `Design ${randomUUID().slice(0, 8)}`, ...props }));
}

/** A layer of a catalog item of the development catalog (the t-shirt unless named), committed. */
export function addLayerIn(ctx: ServiceContext, designId: string, props: Partial<AddLayerProps> = {}): Promise<LayerEntity> {
  return addLayer(ctx, { designId, catalogItemId: 'item-silhouette-t-shirt', ...props });
}
