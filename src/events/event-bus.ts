import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { logger } from '../logger';
import type { DesignEventMessage } from './design-event';

/** A live subscription to one design's events: `ready` resolves once Redis has confirmed it. */
export interface LiveEvents extends AsyncIterableIterator<DesignEventMessage> {
  ready: Promise<void>;
  return(): Promise<IteratorResult<DesignEventMessage>>;
}

/** The one way to publish and receive design events across replicas. */
export interface EventBus {
  /** Never throws: PostgreSQL is the truth, and subscribers fill gaps from the change log. */
  publish(message: DesignEventMessage): Promise<void>;
  subscribe(designId: string): LiveEvents;
  close(): Promise<void>;
}

export function createRedisEventBus(redisUrl: string, prefix: string): EventBus {
  // Channels are not keys: ioredis' keyPrefix does not apply, so the prefix goes into the topic.
  const topic = (designId: string) => `${prefix}design:${designId}:events`;
  const options = { maxRetriesPerRequest: 3, enableOfflineQueue: true };
  const publisher = new Redis(redisUrl, options);
  const subscriber = new Redis(redisUrl, options);
  for (const client of [publisher, subscriber]) client.on('error', (err) => logger.warn({ err: err.message }, 'event bus redis error'));
  const pubsub = new RedisPubSub({ publisher, subscriber });

  return {
    async publish(message) {
      try {
        await pubsub.publish(topic(message.designId), message);
      } catch (error) {
        logger.warn({ err: (error as Error).message, designId: message.designId, revision: message.revision }, 'event not published');
      }
    },
    subscribe(designId) {
      const iterator = pubsub.asyncIterator<DesignEventMessage>(topic(designId));
      // subscribeAll() resolves when Redis has acknowledged SUBSCRIBE; the typings keep it private.
      const ready = (iterator as unknown as { subscribeAll(): Promise<unknown> }).subscribeAll().then(() => undefined);
      return Object.assign(iterator, { ready }) as unknown as LiveEvents;
    },
    async close() {
      await pubsub.close();
    },
  };
}
